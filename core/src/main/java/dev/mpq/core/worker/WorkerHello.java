package dev.mpq.core.worker;

/** The first message of a worker after it starts: who it is and what its machine is. */
public record WorkerHello(String workerVersion, MachineProbe probe) {}
