package dev.mpq.solver;

import java.util.List;

/** A group (for MPQ: a layer) that takes exactly one of its options. */
public record Group(String name, List<Option> options) {

    public Group {
        if (name == null || name.isBlank()) {
            throw new InvalidProblemException("name", "A layer has no name; every layer needs a unique name.");
        }
        options = List.copyOf(options == null ? List.of() : options);
    }

    /** Index of the option with this id, or -1. */
    public int indexOf(String optionId) {
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).id().equals(optionId)) {
                return i;
            }
        }
        return -1;
    }
}
