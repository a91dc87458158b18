/**
 * One class per REST resource. Handlers read typed parameters, call a service and write JSON; none
 * of them touches SQL.
 */
package io.ursprung.backend.resources;
