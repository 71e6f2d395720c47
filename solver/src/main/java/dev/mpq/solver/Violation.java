package dev.mpq.solver;

/**
 * A budget that cannot be met: {@code minimum} is the smallest total of {@code metric} reachable
 * under the ties and pins (with that metric alone in mind).
 */
public record Violation(String metric, double budget, double minimum) {}
