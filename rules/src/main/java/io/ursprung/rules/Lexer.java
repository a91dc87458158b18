package io.ursprung.rules;

/**
 * Turns one {@link LogicalLine} into tokens. The parser says which kind of token it expects,
 * because the language has three lexical contexts: conditions (operators split words: {@code
 * pid>3}), condition values (a regex may hold {@code =} or {@code !}), and actions (paths and
 * regexes run up to white space, {@code ;} or a quote).
 */
final class Lexer {

  enum Kind {
    /** End of the logical line. */
    END,
    LPAREN,
    RPAREN,
    AND,
    OR,
    NOT,
    ARROW,
    IDENT,
    STRING,
    /** A value or action word without quotes. */
    WORD,
    SEMI,
    /** Anything the context does not allow; the parser reports it. */
    OTHER
  }

  /**
   * A token.
   *
   * @param text the characters as written, or for strings the content after escapes
   * @param start index of the first character in the logical line
   * @param end index after the last character
   * @param contentIndex for strings: the line index of each content character, so positions inside
   *     a string (a regex error) can be reported
   */
  record Token(Kind kind, String text, int start, int end, int[] contentIndex) {
    /** Line index of content character {@code i} (clamped to the token). */
    int indexOf(int i) {
      if (contentIndex == null) {
        return Math.min(start + Math.max(i, 0), Math.max(start, end - 1));
      }
      if (contentIndex.length == 0) {
        return start;
      }
      return contentIndex[Math.min(Math.max(i, 0), contentIndex.length - 1)];
    }

    boolean isWord(String word) {
      return kind == Kind.WORD && text.equals(word);
    }
  }

  /** Thrown on a syntax error; the parser records it and goes on with the next rule. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    final int index;

    SyntaxError(int index, String message) {
      super(message, null, false, false);
      this.index = index;
    }
  }

  private static final String OPERATOR_CHARS = "=!<>@";

  final LogicalLine line;
  private final String text;
  int pos;

  Lexer(LogicalLine line) {
    this.line = line;
    this.text = line.text;
  }

  static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9') || c == '.';
  }

  void skipBlanks() {
    while (pos < text.length() && isBlank(text.charAt(pos))) {
      pos++;
    }
  }

  /** Skips blanks; whether the line is used up. */
  boolean atEnd() {
    skipBlanks();
    return pos >= text.length();
  }

  /** The character at the cursor, or 0 at the end. */
  char peekChar() {
    return pos < text.length() ? text.charAt(pos) : 0;
  }

  int length() {
    return text.length();
  }

  String slice(int from, int to) {
    return text.substring(from, to);
  }

  /** The next token in a condition. */
  Token condition() throws SyntaxError {
    skipBlanks();
    int s = pos;
    if (pos >= text.length()) {
      return new Token(Kind.END, "", s, s, null);
    }
    char c = text.charAt(pos);
    char n = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
    switch (c) {
      case '(':
        pos++;
        return new Token(Kind.LPAREN, "(", s, pos, null);
      case ')':
        pos++;
        return new Token(Kind.RPAREN, ")", s, pos, null);
      case '&':
        // A single '&' is accepted as '&&' for the original's rules; it no longer eats a character.
        pos += n == '&' ? 2 : 1;
        return new Token(Kind.AND, text.substring(s, pos), s, pos, null);
      case '|':
        pos += n == '|' ? 2 : 1;
        return new Token(Kind.OR, text.substring(s, pos), s, pos, null);
      case '!':
        pos++;
        return new Token(Kind.NOT, "!", s, pos, null);
      case '"':
        return string();
      default:
        break;
    }
    if (c == '-' && n == '>') {
      pos += 2;
      return new Token(Kind.ARROW, "->", s, pos, null);
    }
    if (isIdentStart(c)) {
      while (pos < text.length() && isIdentPart(text.charAt(pos))) {
        pos++;
      }
      return new Token(Kind.IDENT, text.substring(s, pos), s, pos, null);
    }
    return other();
  }

  /** The longest run of operator characters at the cursor, possibly empty. */
  String operator() {
    skipBlanks();
    int s = pos;
    while (pos < text.length() && OPERATOR_CHARS.indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    return text.substring(s, pos);
  }

  /**
   * A comparison value: a string, or the characters up to white space, a parenthesis, {@code &},
   * {@code |}, a quote or {@code ->}. Returns an END token when there is none.
   */
  Token value() throws SyntaxError {
    skipBlanks();
    int s = pos;
    if (peekChar() == '"') {
      return string();
    }
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (isBlank(c) || c == '(' || c == ')' || c == '&' || c == '|' || c == '"') {
        break;
      }
      if (c == '-' && pos + 1 < text.length() && text.charAt(pos + 1) == '>') {
        break;
      }
      pos++;
    }
    return new Token(s == pos ? Kind.END : Kind.WORD, text.substring(s, pos), s, pos, null);
  }

  /** The next token in an action: a word, a string, {@code ;} or the end. */
  Token word() throws SyntaxError {
    skipBlanks();
    int s = pos;
    if (pos >= text.length()) {
      return new Token(Kind.END, "", s, s, null);
    }
    char c = text.charAt(pos);
    if (c == ';') {
      pos++;
      return new Token(Kind.SEMI, ";", s, pos, null);
    }
    if (c == '"') {
      return string();
    }
    while (pos < text.length()) {
      char x = text.charAt(pos);
      if (isBlank(x) || x == ';' || x == '"') {
        break;
      }
      pos++;
    }
    return new Token(Kind.WORD, text.substring(s, pos), s, pos, null);
  }

  /**
   * A double-quoted string. Escapes: {@code \"}, {@code \\}, {@code \n}, {@code \t}, {@code \r};
   * any other backslash stays as written, so regexes like {@code "\d+\.log"} need no doubling.
   */
  private Token string() throws SyntaxError {
    int s = pos;
    pos++;
    StringBuilder content = new StringBuilder();
    int[] index = new int[text.length() - s];
    int n = 0;
    while (true) {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        throw new SyntaxError(s, "unterminated string: expected '\"' before the end of the line");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        break;
      }
      if (c == '\\' && pos + 1 < text.length()) {
        char e = text.charAt(pos + 1);
        char decoded =
            switch (e) {
              case '"' -> '"';
              case '\\' -> '\\';
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              default -> 0;
            };
        if (decoded != 0) {
          index[n++] = pos;
          content.append(decoded);
          pos += 2;
          continue;
        }
      }
      index[n++] = pos;
      content.append(c);
      pos++;
    }
    return new Token(Kind.STRING, content.toString(), s, pos, java.util.Arrays.copyOf(index, n));
  }

  private Token other() {
    int s = pos;
    while (pos < text.length() && !isBlank(text.charAt(pos))) {
      pos++;
    }
    return new Token(Kind.OTHER, text.substring(s, pos), s, pos, null);
  }

  /** How to name what is at {@code index} in a message: {@code 'x'} or {@code end of line}. */
  String describe(int index) {
    int s = index;
    while (s < text.length() && isBlank(text.charAt(s))) {
      s++;
    }
    if (s >= text.length()) {
      return "end of line";
    }
    int e = s;
    while (e < text.length() && !isBlank(text.charAt(e))) {
      e++;
    }
    return quoteForMessage(text.substring(s, e));
  }

  /** How to name a token in a message. */
  String describe(Token t) {
    if (t.kind() == Kind.END) {
      return "end of line";
    }
    return quoteForMessage(text.substring(t.start(), t.end()));
  }

  static String quoteForMessage(String s) {
    return "'" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "'";
  }
}
