package dev.mpq.devices.worker;

import dev.mpq.core.worker.Measurement;
import dev.mpq.core.worker.ProfileItem;
import java.util.List;

/** Takes the measurement of one profile item (the Java kernels through {@code LayerTimer}, or a fake in tests). */
public interface ItemMeasurer {

    /** Whether this worker has a kernel for the item's precision. */
    boolean supports(ProfileItem item);

    /** Times the item (only called when {@link #supports} says so). */
    Measurement measure(ProfileItem item);

    /** Prepares to time these items (the Java kernels: run each precision's kernel once, see {@code LayerTimer.warmUp}). */
    default void warmUp(List<ProfileItem> items) {}
}
