package dev.mpq.solver.local;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.valuerange.CountableValueRange;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeFactory;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;

/**
 * Timefold planning entity: the candidate chosen for one tie block. Mutable because Timefold
 * demands it; it never leaves this package.
 */
@PlanningEntity
public class BlockChoice {

    private int block;
    private int candidates;

    @PlanningVariable(valueRangeProviderRefs = "candidates")
    private Integer candidate;

    public BlockChoice() {}

    BlockChoice(int block, int candidates, int candidate) {
        this.block = block;
        this.candidates = candidates;
        this.candidate = candidate;
    }

    @ValueRangeProvider(id = "candidates")
    public CountableValueRange<Integer> getCandidateRange() {
        return ValueRangeFactory.createIntValueRange(0, candidates);
    }

    public int getBlock() {
        return block;
    }

    public Integer getCandidate() {
        return candidate;
    }

    public void setCandidate(Integer candidate) {
        this.candidate = candidate;
    }

    @Override
    public String toString() {
        return "block " + block + " = " + candidate;
    }
}
