package io.statuspolicy.benchmarks.overhead;

import org.openjdk.jmh.annotations.Threads;

/** {@link SharedClientBenchmark} with 2 threads sharing one client. */
@Threads(2)
public class CallOverheadThreads2 extends SharedClientBenchmark {
}
