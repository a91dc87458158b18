package io.ursprung.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * One rule's worth of text: a physical line plus the lines it continues onto.
 *
 * <p>Lines are joined before anything is tokenized, the way C splices lines: a line whose last
 * character other than spaces and tabs is a backslash continues on the next line. The backslash
 * (and anything after it) becomes a single {@code '\n'}, which the lexer treats as white space
 * between tokens and as the end of an unclosed string. Every character keeps its physical line and
 * column, so messages point into the file as the user sees it.
 */
final class LogicalLine {
  final String text;
  private final int[] lines;
  private final int[] columns;
  private final Position end;

  private LogicalLine(String text, int[] lines, int[] columns, Position end) {
    this.text = text;
    this.lines = lines;
    this.columns = columns;
    this.end = end;
  }

  /** The position of the character at {@code index}, or just after the last one. */
  Position position(int index) {
    return index < text.length() ? new Position(lines[index], columns[index]) : end;
  }

  /** Splits a file into logical lines; {@code \r\n} and {@code \n} both end a line. */
  static List<LogicalLine> split(String file) {
    String[] physical = file.split("\r?\n", -1);
    int count = physical.length;
    // A final newline is a terminator, not the start of an empty last line.
    if (count > 0 && physical[count - 1].isEmpty()) {
      count--;
    }
    List<LogicalLine> out = new ArrayList<>();
    int i = 0;
    while (i < count) {
      StringBuilder text = new StringBuilder();
      List<int[]> origin = new ArrayList<>();
      Position end;
      while (true) {
        String line = physical[i];
        int lineNumber = i + 1;
        int continuation = continuationBackslash(line);
        int take = continuation >= 0 ? continuation : line.length();
        for (int c = 0; c < take; c++) {
          text.append(line.charAt(c));
          origin.add(new int[] {lineNumber, c + 1});
        }
        i++;
        if (continuation >= 0 && i < count) {
          text.append('\n');
          origin.add(new int[] {lineNumber, continuation + 1});
          continue;
        }
        end = new Position(lineNumber, take + 1);
        break;
      }
      int[] lines = new int[origin.size()];
      int[] columns = new int[origin.size()];
      for (int k = 0; k < origin.size(); k++) {
        lines[k] = origin.get(k)[0];
        columns[k] = origin.get(k)[1];
      }
      out.add(new LogicalLine(text.toString(), lines, columns, end));
    }
    return out;
  }

  /** Index of a continuation backslash ending {@code line}, or -1. */
  private static int continuationBackslash(String line) {
    int k = line.length() - 1;
    while (k >= 0 && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) {
      k--;
    }
    return k >= 0 && line.charAt(k) == '\\' ? k : -1;
  }
}
