/**
 * provd's control port: an authenticated, line-based JSON protocol to start, stop and list stdout
 * captures, with {@link io.ursprung.provd.control.ControlServer} on the worker and {@link
 * io.ursprung.provd.control.ProvdClient} for requesters (the consumer's {@code CAPTURESOUT}).
 *
 * <p>Authentication is a shared secret with a challenge: the server opens every connection with a
 * fresh random nonce, and the client's request carries {@code HMAC-SHA256(secret, serverNonce ||
 * request)} plus its own timestamp and nonce, which {@link io.ursprung.provd.control.ReplayGuard}
 * remembers for the accepted clock skew so that a recorded request cannot be played again. The wire
 * format is documented in {@code docs/provd.md}.
 */
package io.ursprung.provd.control;
