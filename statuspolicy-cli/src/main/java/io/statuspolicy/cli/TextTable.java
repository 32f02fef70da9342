package io.statuspolicy.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * An aligned text table that fits a width: when the columns' natural widths do not fit, the
 * widest columns are narrowed (never below their longest word) and their cells wrapped at word boundaries,
 * continuing on the next lines of the same row. Used by {@code table} and {@code demo}.
 */
final class TextTable {
    private static final int GAP = 2;
    private static final int FLOOR = 8;

    private TextTable() {
    }

    /** {@code rows} (the first is the header) in at most {@code width} columns, where the words allow. */
    static String render(List<List<String>> rows, int width) {
        int columns = rows.get(0).size();
        int[] natural = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                natural[i] = Math.max(natural[i], row.get(i).length());
            }
        }
        int[] floor = new int[columns]; // a column is never narrower than its longest word
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                for (String word : row.get(i).split(" ")) {
                    floor[i] = Math.max(floor[i], Math.min(word.length(), natural[i]));
                }
            }
        }
        for (int i = 0; i < columns; i++) {
            floor[i] = Math.max(floor[i], Math.min(FLOOR, natural[i]));
        }
        int[] typical = new int[columns];
        for (int i = 0; i < columns; i++) {
            int column = i;
            int[] lengths = rows.stream().skip(1).mapToInt(r -> r.get(column).length()).sorted().toArray();
            int p75 = lengths.length == 0 ? 0 : lengths[(lengths.length * 3) / 4 - (lengths.length * 3 % 4 == 0 ? 1 : 0)];
            typical[i] = Math.min(natural[i], Math.max(Math.max(floor[i], rows.get(0).get(i).length()), p75));
        }
        int[] widths = fit(natural, typical, floor, width - GAP * (columns - 1));
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            List<List<String>> cells = new ArrayList<>();
            int height = 1;
            for (int i = 0; i < columns; i++) {
                List<String> wrapped = wrap(row.get(i), widths[i]);
                cells.add(wrapped);
                height = Math.max(height, wrapped.size());
            }
            for (int line = 0; line < height; line++) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    String piece = line < cells.get(i).size() ? cells.get(i).get(line) : "";
                    text.append(piece);
                    if (i < columns - 1) {
                        text.append(" ".repeat(Math.max(0, widths[i] - piece.length()) + GAP));
                    }
                }
                out.append(text.toString().stripTrailing()).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Narrows columns one character at a time until the sum fits: first the one furthest above
     * its typical width (so a few long cells wrap before every cell does), then the widest, never
     * below the floor.
     */
    static int[] fit(int[] natural, int[] typical, int[] floor, int available) {
        int[] widths = natural.clone();
        int total = 0;
        for (int w : widths) {
            total += w;
        }
        while (total > available) {
            int furthest = -1;
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] > typical[i] && (furthest < 0
                        || widths[i] - typical[i] > widths[furthest] - typical[furthest])) {
                    furthest = i;
                }
            }
            if (furthest < 0) {
                break;
            }
            widths[furthest]--;
            total--;
        }
        while (total > available) {
            int widest = -1;
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] > floor[i] && (widest < 0 || widths[i] > widths[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                break; // as narrow as it goes: lines will be longer than asked
            }
            widths[widest]--;
            total--;
        }
        return widths;
    }

    /** {@code text} in lines of at most {@code width}, broken at spaces; a longer word gets a line of its own. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
