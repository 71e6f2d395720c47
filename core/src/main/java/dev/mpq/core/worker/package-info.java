/**
 * The worker protocol's messages: plain records that the service and any worker (the Java CPU
 * worker in {@code devices}, or a GPU worker in any language) exchange as JSON over HTTP. The
 * protocol itself (endpoints, leases, idempotency) is documented in {@code devices/PROTOCOL.md}.
 */
package dev.mpq.core.worker;
