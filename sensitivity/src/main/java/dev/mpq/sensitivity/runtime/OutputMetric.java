package dev.mpq.sensitivity.runtime;

/** How the change of a network's output is measured against the float network, per sample, then averaged. */
public enum OutputMetric {
    /** Mean squared difference over the output's elements. */
    MSE("mse"),
    /** 1 - cosine similarity of the output vectors. */
    COSINE("cosine"),
    /** KL(softmax(float output) || softmax(quantized output)) over the output's last axis. */
    KL("kl");

    private final String id;

    OutputMetric(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static OutputMetric fromId(String id) {
        for (OutputMetric m : values()) {
            if (m.id.equalsIgnoreCase(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown output metric '%s'; use mse, cosine or kl.".formatted(id));
    }

    /** The metric between a reference vector and a changed one. */
    public double between(float[] reference, float[] changed) {
        if (reference.length != changed.length) {
            throw new IllegalArgumentException(
                    "Output sizes differ: %d vs %d.".formatted(reference.length, changed.length));
        }
        switch (this) {
            case MSE -> {
                double s = 0;
                for (int i = 0; i < reference.length; i++) {
                    double d = (double) changed[i] - reference[i];
                    s += d * d;
                }
                return s / reference.length;
            }
            case COSINE -> {
                double dot = 0;
                double a = 0;
                double b = 0;
                for (int i = 0; i < reference.length; i++) {
                    dot += (double) reference[i] * changed[i];
                    a += (double) reference[i] * reference[i];
                    b += (double) changed[i] * changed[i];
                }
                return a == 0 || b == 0 ? (a == b ? 0 : 1) : Math.max(0, 1 - dot / Math.sqrt(a * b));
            }
            default -> {
                double[] p = softmax(reference);
                double[] q = softmax(changed);
                double kl = 0;
                for (int i = 0; i < p.length; i++) {
                    if (p[i] > 0) {
                        kl += p[i] * (Math.log(p[i]) - Math.log(Math.max(q[i], 1e-300)));
                    }
                }
                return Math.max(0, kl);
            }
        }
    }

    private static double[] softmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double[] e = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }
}
