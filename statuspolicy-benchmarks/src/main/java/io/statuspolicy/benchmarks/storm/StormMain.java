package io.statuspolicy.benchmarks.storm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every outage against every strategy and prints the tables (Markdown); writes one PNG of
 * the time series per outage.
 *
 * <pre>
 * java -cp statuspolicy-benchmarks/target/benchmarks.jar io.statuspolicy.benchmarks.storm.StormMain \
 *     [--out docs/benchmarks] [--clients 50] [--offered 560] [--seed 20261125] [--before 10] [--after 30] [--credit 0.2]
 * </pre>
 */
public final class StormMain {
    private StormMain() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("docs", "benchmarks");
        StormConfig config = StormConfig.DEFAULT;
        double credit = io.statuspolicy.policy.RetryBudgetSettings.DEFAULT_CREDIT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--clients" -> config = config.withClients(Integer.parseInt(args[++i]));
                case "--offered" -> config = config.withOffered(Double.parseDouble(args[++i]));
                case "--seed" -> config = config.withSeed(Long.parseLong(args[++i]));
                case "--credit" -> credit = Double.parseDouble(args[++i]);
                case "--before" -> config = config.withPhases(Integer.parseInt(args[++i]), config.afterSeconds());
                case "--after" -> config = config.withPhases(config.beforeSeconds(), Integer.parseInt(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --out DIR, --clients N, --offered PER_SECOND, --seed N, --before SECONDS, --after SECONDS, --credit C");
            }
        }
        Files.createDirectories(out);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "System: %d workers x %.0f ms mean service (capacity %.0f/s), queue %d,"
                        + " %d clients offering %.0f requests/s (Poisson), attempt timeout %d ms, %d us each way,"
                        + " %d us of worker time per rejection or error; phases %d s before, the outage, %d s after;"
                        + " seed %d.%n%n", config.workers(), config.meanServiceMillis(), config.capacityPerSecond(),
                config.queueCapacity(), config.clients(), config.offeredPerSecond(), config.attemptTimeoutMillis(),
                config.oneWayMicros(), config.errorCostMicros(), config.beforeSeconds(), config.afterSeconds(),
                config.seed()));
        text.append("Strategies:\n\n");
        for (Strategy strategy : Strategies.all(credit)) {
            text.append("- `").append(strategy.name()).append("`: ").append(strategy.description()).append('\n');
        }
        text.append('\n');
        for (Outage outage : Outage.all()) {
            List<StormResult> results = new ArrayList<>();
            for (Strategy strategy : Strategies.all(credit)) {
                results.add(new Simulation(config, outage, strategy).run());
            }
            text.append(table(outage, results));
            Path png = out.resolve("storm-" + outage.name() + ".png");
            StormPlot.write(results, png);
            text.append("\n![").append(outage.name()).append("](").append(png.getFileName())
                    .append(")\n\n");
        }
        Files.writeString(out.resolve("storm-results.md"), text);
        System.out.print(text);
    }

    static String table(Outage outage, List<StormResult> results) {
        StringBuilder t = new StringBuilder();
        t.append("#### ").append(outage.name()).append(": ").append(outage.description()).append("\n\n");
        t.append("| strategy | amplification before / during / after | goodput/s before / during / after"
                + " | success during | rescued during | recovery | p50 / p99 ms during | p50 / p99 ms after"
                + " | early retries |\n");
        t.append("|---|---|---|---|---|---|---|---|---|\n");
        for (StormResult r : results) {
            StormResult.Phase before = r.phase(0);
            StormResult.Phase during = r.phase(1);
            StormResult.Phase after = r.phase(2);
            t.append(String.format(Locale.ROOT, "| %s | %.2f / %.2f / %.2f | %.0f / %.0f / %.0f | %.1f %% | %.1f %% | %s"
                            + " | %s / %s | %s / %s | %d |%n",
                    r.strategy().name(), before.amplification(), during.amplification(), after.amplification(),
                    before.goodput(), during.goodput(), after.goodput(), 100 * during.successShare(),
                    100 * during.rescuedShare(), recovery(r.recoverySeconds()), ms(during.p50Millis),
                    ms(during.p99Millis), ms(after.p50Millis), ms(after.p99Millis), r.earlyRetries()));
        }
        return t.toString();
    }

    private static String recovery(double seconds) {
        return Double.isInfinite(seconds) ? "not in the run" : String.format(Locale.ROOT, "%.0f s", seconds);
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis)
                : String.format(Locale.ROOT, "%.1f", millis);
    }
}
