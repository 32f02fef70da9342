package io.statuspolicy.benchmarks.storm;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * Draws one outage's time series as a PNG: attempts per second at the server, goodput
 * (successful logical requests completed per second) and queue length, one line per strategy,
 * the outage shaded. Plain java.awt, headless.
 */
final class StormPlot {
    private static final int WIDTH = 1100;
    private static final int PANEL_HEIGHT = 260;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int GAP = 40;
    private static final Color[] COLORS = {
        new Color(0x7f7f7f), new Color(0xd62728), new Color(0xff7f0e), new Color(0x1f77b4),
        new Color(0x17becf), new Color(0x9467bd), new Color(0x2ca02c), new Color(0x8c564b)};

    private StormPlot() {
    }

    static void write(List<StormResult> results, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int height = TOP + 3 * PANEL_HEIGHT + 2 * GAP + 50;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        StormResult first = results.get(0);
        StormConfig config = first.config();
        double perSecond = 1000.0 / config.bucketMillis();
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Outage " + first.outage().name() + ": " + first.outage().description(), LEFT, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(String.format("%d clients, %.0f requests/s offered, capacity %.0f/s, queue %d, timeout %d ms",
                config.clients(), config.offeredPerSecond(), config.capacityPerSecond(), config.queueCapacity(),
                config.attemptTimeoutMillis()), LEFT, 42);
        panel(g, results, 0, "attempts/s at the server", r -> scale(r.attemptsPerBucket(), perSecond));
        panel(g, results, 1, "goodput (successes/s)", r -> scale(r.successesPerBucket(), perSecond));
        panel(g, results, 2, "queue length", r -> toDouble(r.queuePerBucket()));
        int legendY = TOP + 10;
        for (int i = 0; i < results.size(); i++) {
            g.setColor(COLORS[i % COLORS.length]);
            g.setStroke(new BasicStroke(3f));
            g.drawLine(WIDTH - RIGHT + 20, legendY + 20 * i, WIDTH - RIGHT + 45, legendY + 20 * i);
            g.setColor(Color.BLACK);
            g.drawString(results.get(i).strategy().name(), WIDTH - RIGHT + 52, legendY + 20 * i + 4);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(Graphics2D g, List<StormResult> results, int index, String title,
            Function<StormResult, double[]> series) {
        int top = TOP + index * (PANEL_HEIGHT + GAP);
        int bottom = top + PANEL_HEIGHT;
        int right = WIDTH - RIGHT;
        StormResult first = results.get(0);
        StormConfig config = first.config();
        int buckets = first.queuePerBucket().length;
        double seconds = buckets * config.bucketMillis() / 1000.0;
        double max = 1;
        for (StormResult result : results) {
            for (double value : series.apply(result)) {
                max = Math.max(max, value);
            }
        }
        max = niceCeiling(max);
        // The outage, shaded.
        double outageFrom = config.beforeSeconds();
        double outageTo = outageFrom + first.outage().seconds();
        g.setColor(new Color(0xfde0dd));
        int x0 = x(outageFrom, seconds, right);
        g.fillRect(x0, top, Math.max(2, x(outageTo, seconds, right) - x0), PANEL_HEIGHT);
        // Axes and grid.
        g.setStroke(new BasicStroke(1f));
        for (int tick = 0; tick <= 4; tick++) {
            double value = max * tick / 4;
            int y = bottom - (int) Math.round(PANEL_HEIGHT * value / max);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format("%.0f", value);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        for (int s = 0; s <= seconds; s += 10) {
            int x = x(s, seconds, right);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawString(s + " s", x - 8, bottom + 15);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, top, right - LEFT, PANEL_HEIGHT);
        g.setFont(g.getFont().deriveFont(Font.BOLD));
        g.drawString(title, LEFT + 6, top + 15);
        g.setFont(g.getFont().deriveFont(Font.PLAIN));
        // The lines.
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < results.size(); i++) {
            double[] values = series.apply(results.get(i));
            g.setColor(COLORS[i % COLORS.length]);
            int px = -1;
            int py = -1;
            for (int b = 0; b < values.length; b++) {
                double t = (b + 0.5) * config.bucketMillis() / 1000.0;
                int x = x(t, seconds, right);
                int y = bottom - (int) Math.round(PANEL_HEIGHT * Math.min(values[b], max) / max);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
        }
    }

    private static int x(double t, double seconds, int right) {
        return LEFT + (int) Math.round((right - LEFT) * t / seconds);
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double[] scale(long[] values, double factor) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * factor;
        }
        return out;
    }

    private static double[] toDouble(int[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
