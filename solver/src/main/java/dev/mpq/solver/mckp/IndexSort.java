package dev.mpq.solver.mckp;

/** Sorting of index arrays by a primitive key, without boxing (stable merge sort). */
public final class IndexSort {

    private IndexSort() {}

    /** Indices 0..keys.length-1 ordered by ascending key (stable). */
    public static int[] ascending(double[] keys) {
        int n = keys.length;
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        sort(index, keys, n);
        return index;
    }

    /** Sorts {@code index[0..n)} by ascending {@code keys[index[i]]} (stable). */
    public static void sort(int[] index, double[] keys, int n) {
        int[] buffer = new int[n];
        int[] from = index;
        int[] to = buffer;
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    to[k++] = keys[from[j]] < keys[from[i]] ? from[j++] : from[i++];
                }
                while (i < mid) {
                    to[k++] = from[i++];
                }
                while (j < hi) {
                    to[k++] = from[j++];
                }
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        if (from != index) {
            System.arraycopy(from, 0, index, 0, n);
        }
    }
}
