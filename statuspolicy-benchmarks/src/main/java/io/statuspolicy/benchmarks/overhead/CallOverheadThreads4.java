package io.statuspolicy.benchmarks.overhead;

import org.openjdk.jmh.annotations.Threads;

/** {@link SharedClientBenchmark} with 4 threads sharing one client. */
@Threads(4)
public class CallOverheadThreads4 extends SharedClientBenchmark {
}
