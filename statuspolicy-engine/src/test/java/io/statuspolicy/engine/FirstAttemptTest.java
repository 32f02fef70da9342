package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.ResponseFacts;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine's side of the synchronous fast path: the reusable deadline ({@link DeadlineTimer.Watch})
 * that interrupts the calling thread, the pool that hands the objects out, and what
 * {@link FirstAttempt} decides alone. The timer runs on real time (a tick is
 * {@value DeadlineTimer#TICK_MILLIS} ms), so the waits here are a few ticks, bounded.
 */
class FirstAttemptTest {
    private static final URI URI_OK = URI.create("http://127.0.0.1:9/items/17");

    /** A pooled object as an adapter would extend it. */
    private static final class Slot extends FirstAttempt.Kept {
    }

    private static Slot taken() {
        Slot slot = new Slot();
        assertThat(slot.take()).isTrue();
        return slot;
    }

    @Test
    void anArmedWatchInterruptsItsThreadOnceItsTimeIsUpAndEndClearsTheInterrupt() throws InterruptedException {
        Slot slot = taken();
        slot.arm(Thread.currentThread(), 30);
        long start = System.nanoTime();
        boolean interrupted = false;
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(interrupted).as("the watch interrupted the sleep").isTrue();
        assertThat(tookMillis).isBetween(25L, 2_000L);
        assertThat(slot.endDeadline()).as("end says the deadline interrupted").isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        slot.release();
    }

    @Test
    void aWatchEndedInTimeNeverInterruptsAndAnEarlierArmingCannotInterruptALaterOne() throws InterruptedException {
        Slot slot = taken();
        // Arming after arming, each ended at once: a tick that saw one of them must not fire on the next.
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(8 * DeadlineTimer.TICK_MILLIS);
        int armings = 0;
        while (System.nanoTime() < until) {
            slot.arm(Thread.currentThread(), DeadlineTimer.TICK_MILLIS);
            assertThat(slot.endDeadline()).isFalse();
            armings++;
        }
        Thread.sleep(4 * DeadlineTimer.TICK_MILLIS);
        assertThat(Thread.currentThread().isInterrupted()).as("after %d armings", armings).isFalse();
        assertThat(slot.endDeadline()).as("end without an arming").isFalse();
        slot.release();
    }

    @Test
    void aThreadNotInTheCallIsNeverInterruptedAfterRelease() throws Exception {
        Slot slot = taken();
        slot.arm(Thread.currentThread(), 0);
        slot.endDeadline(); // whichever won, the interrupt (if any) is cleared
        Thread.interrupted();
        slot.release();
        Thread.sleep(4 * DeadlineTimer.TICK_MILLIS);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aPoolHandsAnObjectToOneCallAtATimeAndGivesNoneWhenAllAreTaken() throws Exception {
        FirstAttempt.Pool<Slot> pool = new FirstAttempt.Pool<>(4, Slot::new);
        Slot first = pool.take();
        Slot second = pool.take();
        assertThat(first).isNotNull();
        assertThat(second).isNotNull().isNotSameAs(first);
        Slot third = pool.take();
        Slot fourth = pool.take();
        assertThat(List.of(first, second, third, fourth)).doesNotHaveDuplicates();
        assertThat(pool.take()).as("all four taken").isNull();

        // Another thread finds none either; one given back is taken again.
        assertThat(CompletableFuture.supplyAsync(pool::take).get(5, TimeUnit.SECONDS)).isNull();
        third.release();
        assertThat(pool.take()).isSameAs(third);

        // A discarded one is replaced by a new one and dropped by the timer at its next tick.
        int registered = DeadlineTimer.watches();
        fourth.discard();
        Slot replacement = pool.take();
        assertThat(replacement).isNotNull().isNotSameAs(fourth);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (DeadlineTimer.watches() >= registered + 1 && System.nanoTime() < until) {
            Thread.sleep(DeadlineTimer.TICK_MILLIS);
        }
        assertThat(DeadlineTimer.watches()).as("the retired watch is dropped").isLessThanOrEqualTo(registered);
        for (Slot slot : List.of(first, second, third, replacement)) {
            slot.release();
        }
    }

    @Test
    void beginDeclinesWhatTheFastPathCannotSendAsItIs() {
        PolicyEngine plain = PolicyEngine.builder().build();
        PolicyEngine withCredentials = PolicyEngine.builder().credentials(CredentialSource.fixed("Bearer t")).build();
        Slot slot = taken();
        assertThat(slot.begin(plain, "GET", URI.create("http://127.0.0.1:9/a#part"), Map.of(), false, true,
                CallOptions.DEFAULT)).as("a fragment is never sent").isFalse();
        assertThat(slot.begin(withCredentials, "GET", URI_OK, Map.of(), false, true, CallOptions.DEFAULT))
                .as("a credential is added to the request").isFalse();
        assertThat(slot.begin(plain, "G E T", URI_OK, Map.of(), false, true, CallOptions.DEFAULT))
                .as("not a method").isFalse();
        assertThat(slot.begin(plain, "GET", URI_OK, Map.of(), false, true,
                CallOptions.DEFAULT.withDeadline(Duration.ofHours(1)))).isTrue();
        assertThat(slot.endDeadline()).isFalse();
        slot.release();
    }

    @Test
    void theVerdictFormOfTheFramingCheckAnswersAsTheListForm() {
        PolicyEngine engine = PolicyEngine.builder().build();
        Slot slot = taken();
        assertThat(slot.begin(engine, "GET", URI_OK, Map.of(), false, true, CallOptions.DEFAULT)).isTrue();
        List<List<String>> cases = List.of(List.of(), List.of("2"), List.of("2", "2"), List.of("2, 3"),
                List.of("x"), List.of(" 7 "), List.of("-1"));
        for (int status : new int[] {200, 204, 503}) {
            for (List<String> lines : cases) {
                for (boolean chunked : new boolean[] {false, true}) {
                    boolean has = !lines.isEmpty();
                    assertThat(slot.completes(status, has, has && FirstAttempt.soundLengths(lines), chunked))
                            .as("%d %s chunked=%s", status, lines, chunked)
                            .isSameAs(slot.completes(status, lines, chunked));
                }
            }
        }
        assertThat(slot.completes(200, true, false, false)).as("unsound lengths").isNull();
        assertThat(slot.completes(200, false, true, false)).as("no lengths").isNotNull();
        slot.endDeadline();
        slot.release();
    }

    @Test
    void aFirstHeadCompletesTheCallOnlyWhenItIsASuccessWithSoundFraming() {
        PolicyEngine engine = PolicyEngine.builder().build();
        Slot slot = taken();
        assertThat(slot.begin(engine, "GET", URI_OK, Map.of(), false, true, CallOptions.DEFAULT)).isTrue();
        Decision.Complete ok = slot.completes(head(200, Map.of("Content-Length", List.of("2"))));
        assertThat(ok).isNotNull();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(slot.completes(head(503, Map.of()))).as("a 503 is the engine's to decide").isNull();
        assertThat(slot.completes(head(200, Map.of("Content-Length", List.of("2"),
                "Transfer-Encoding", List.of("chunked"))))).as("framed two ways").isNull();
        assertThat(slot.completes(head(200, Map.of("Content-Length", List.of("2, 3")))))
                .as("two lengths").isNull();
        slot.endDeadline();
        slot.release();
    }

    @Test
    void aCallNobodyListensToStartsAtTheTimersLastTickAndItsDeadlineCountsFromATickLater() throws Exception {
        Slot slot = taken(); // a watch taken keeps the timer ticking
        try {
            long tick = awaitTick();
            MonotonicClock system = (MonotonicClock) PolicyEngine.monotonicClock();
            assertThat(system.ticksWithTimer()).isTrue();
            long recent;
            do { // read between two equal ticks: the reading is that tick's time
                tick = DeadlineTimer.lastTickNanos();
                recent = system.recentMillis();
            } while (DeadlineTimer.lastTickNanos() != tick);
            assertThat(recent).isEqualTo(system.millisAt(tick)).isLessThanOrEqualTo(system.millis());

            PolicyEngine quiet = PolicyEngine.builder().build();
            long start = quiet.startMillis();
            long after = quiet.clock().millis();
            assertThat(start).isLessThanOrEqualTo(after).isGreaterThan(after - 60_000);
            assertThat(quiet.deadlineBase(start)).as("never ends early: counted from a tick later")
                    .isEqualTo(start + DeadlineTimer.TICK_MILLIS);

            PolicyEngine listened = PolicyEngine.builder().listener(new io.statuspolicy.event.PolicyListener() {
            }).build();
            long before = listened.clock().millis();
            long exact = listened.startMillis();
            assertThat(exact).as("someone listens: the clock itself").isBetween(before, listened.clock().millis());
            assertThat(listened.deadlineBase(exact)).isEqualTo(exact);

            java.time.Clock fixed = java.time.Clock.fixed(java.time.Instant.ofEpochMilli(5_000), java.time.ZoneOffset.UTC);
            PolicyEngine faked = PolicyEngine.builder().clock(fixed).build();
            assertThat(faked.startMillis()).as("an injected clock is read as it is").isEqualTo(5_000);
            assertThat(faked.deadlineBase(5_000)).isEqualTo(5_000);
            assertThat(new MonotonicClock(java.time.Instant.ofEpochMilli(7_000), () -> 0L).recentMillis())
                    .as("a clock with a ticker of its own never reads the timer").isEqualTo(7_000);
        } finally {
            slot.release();
        }
    }

    @Test
    void theTimersTickMovesOnWhileItRunsAndIsNeverAhead() throws Exception {
        Slot slot = taken();
        try {
            long first = awaitTick();
            assertThat(first).isLessThanOrEqualTo(System.nanoTime());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (DeadlineTimer.lastTickNanos() == first && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            long next = DeadlineTimer.lastTickNanos();
            assertThat(next).as("a later tick").isGreaterThan(first).isLessThanOrEqualTo(System.nanoTime());
        } finally {
            slot.release();
        }
    }

    /**
     * The quiet end ({@code deliveredQuietly}: the deadline ended and the object freed in one
     * compare-and-set) after the deadline passed between the send's return and that end: the
     * deadline's interrupt is cleared, the success is counted, and the object is free again.
     */
    @Test
    void aDeadlineThatPassedJustBeforeTheQuietEndIsClearedAndTheObjectIsFreeAgain() {
        PolicyEngine engine = PolicyEngine.builder().build();
        Slot slot = taken();
        assertThat(slot.begin(engine, "GET", URI_OK, Map.of(), false, true,
                CallOptions.DEFAULT.withDeadline(Duration.ofMillis(1)))).isTrue();
        Decision.Complete ok = slot.completes(head(200, Map.of()));
        slot.completing(ok, Map.of());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Thread.currentThread().isInterrupted() && System.nanoTime() < until) {
            Thread.onSpinWait(); // the response is in; the deadline passes before the call ends
        }
        assertThat(Thread.currentThread().isInterrupted()).as("the deadline interrupted").isTrue();
        assertThat(slot.deliveredQuietly()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).as("its interrupt cleared").isFalse();
        assertThat(engine.decider().budget().usage(io.statuspolicy.budget.RetryBudget.keyOf(URI_OK),
                engine.clock().millis()).requests()).isEqualTo(1);
        assertThat(slot.take()).as("free for the next call").isTrue();
        slot.release();
    }

    /**
     * Arming after arming ended by the quiet end, each due at once, over several ticks: the
     * timer meets some of them armed with no thread left to interrupt (the end cleared it just
     * before its compare-and-set) and backs off; whichever wins, the object is free after each
     * end, no interrupt is left behind, and nothing hangs.
     */
    @Test
    void theQuietEndRacingTheTimerNeverLeavesAnInterruptOrATakenObject() throws InterruptedException {
        Slot slot = new Slot();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10 * DeadlineTimer.TICK_MILLIS);
        int fired = 0;
        int armings = 0;
        while (System.nanoTime() < until) {
            assertThat(slot.take()).as("free after arming %d", armings).isTrue();
            slot.arm(Thread.currentThread(), 0);
            if ((armings & 0xff) == 0) {
                Thread.sleep(0, 200_000); // now and then long enough for a tick to find it armed
            }
            if (slot.endAndFree()) {
                fired++;
            }
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            armings++;
        }
        Thread.sleep(4 * DeadlineTimer.TICK_MILLIS);
        assertThat(Thread.currentThread().isInterrupted()).as("after %d armings, %d fired", armings, fired).isFalse();
        assertThat(slot.take()).isTrue();
        slot.release();
    }

    @Test
    void someoneListeningGetsNoQuietEndTheCallEndsAsBefore() {
        java.util.List<String> told = new java.util.ArrayList<>();
        PolicyEngine engine = PolicyEngine.builder().listener(new io.statuspolicy.event.PolicyListener() {
            @Override
            public void callFinished(io.statuspolicy.event.PolicyEvent.CallFinished event) {
                told.add("finished " + event.decision().rule() + " after " + event.requests());
            }
        }).build();
        Slot slot = taken();
        assertThat(slot.begin(engine, "GET", URI_OK, Map.of(), false, true, CallOptions.DEFAULT)).isTrue();
        slot.completing(slot.completes(head(200, Map.of())), Map.of());
        assertThat(slot.deliveredQuietly()).isFalse();
        assertThat(slot.endDeadline()).isFalse();
        slot.delivered();
        assertThat(told).hasSize(1).allMatch(line -> line.startsWith("finished ") && line.endsWith(" after 1"));
        slot.release();
        assertThat(slot.take()).isTrue();
        slot.release();
    }

    /** The timer's tick, once its thread published one (it starts when a watch is taken). */
    private static long awaitTick() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long tick;
        while ((tick = DeadlineTimer.lastTickNanos()) == DeadlineTimer.NO_TICK && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(tick).as("the timer publishes its ticks").isNotEqualTo(DeadlineTimer.NO_TICK);
        return tick;
    }

    private static ResponseFacts head(int status, Map<String, List<String>> fields) {
        return new ResponseFacts() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public List<String> headerValues(String name) {
                for (Map.Entry<String, List<String>> field : fields.entrySet()) {
                    if (field.getKey().equalsIgnoreCase(name)) {
                        return field.getValue();
                    }
                }
                return List.of();
            }
        };
    }
}
