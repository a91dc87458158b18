/** Export of lineage answers as W3C PROV-JSON. */
package io.ursprung.backend.prov;
