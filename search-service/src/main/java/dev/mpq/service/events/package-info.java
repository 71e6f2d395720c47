/**
 * Events between the service's features, as records. Listeners run synchronously inside the
 * publishing transaction, so what they write commits or rolls back with the cause.
 */
package dev.mpq.service.events;
