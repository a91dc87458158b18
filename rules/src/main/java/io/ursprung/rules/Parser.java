package io.ursprung.rules;

import io.ursprung.rules.Lexer.Kind;
import io.ursprung.rules.Lexer.SyntaxError;
import io.ursprung.rules.Lexer.Token;
import io.ursprung.rules.fields.FieldCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive-descent parser for rule files; the grammar is in {@code docs/rules.md}.
 *
 * <p>Error recovery is by rule: a syntax error abandons the rest of its logical line and parsing
 * resumes at the next one, so one pass lists the first syntax error of every bad rule. Errors that
 * do not disturb the parse (an unknown field, a bad regex, a duplicate column) are recorded and
 * parsing of the same rule goes on, so they are listed too.
 */
final class Parser {

  private static final Set<String> ACTIONS =
      Set.of("DBLOAD", "DBTRANSFER", "LOGLOAD", "TRACK", "CAPTURESOUT", "ALERT");
  private static final Set<String> KEYWORDS =
      Set.of(
          "DBLOAD",
          "DBTRANSFER",
          "LOGLOAD",
          "TRACK",
          "CAPTURESOUT",
          "ALERT",
          "INTO",
          "DB",
          "FILE",
          "USING",
          "FROM",
          "MATCH",
          "FIELDS",
          "DELIM",
          "AT");
  private static final String ACTION_LIST =
      "an action (DBLOAD, DBTRANSFER, LOGLOAD, TRACK, CAPTURESOUT, ALERT)";
  private static final String OPERATOR_LIST = "an operator (=, !=, <, >, <=, >=, @)";
  private static final String SPEC_LIST =
      "a field spec (N, N-M, N-e, N+M+K, N/H, N-M/H or an event field name)";
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  private static final Pattern TOKEN_SPEC =
      Pattern.compile("(\\d+)(?:-(\\d+|e))?(?:/([+-]?\\d+))?");
  private static final Pattern CONCAT_SPEC = Pattern.compile("\\d+(?:\\+\\d+)+");
  private static final int MAX_HOUR_OFFSET = 24;
  private static final String UNQUOTED_HINT =
      " (quote values that contain white space, parentheses, '&' or '|')";
  private static final String CREDENTIALS_HINT =
      "; rule files hold no connection strings or credentials, name a database alias from the"
          + " consumer configuration";

  private final String file;
  private final List<RuleError> errors = new ArrayList<>();
  private final List<Rule> rules = new ArrayList<>();
  private final Map<RuleId, Position> seen = new HashMap<>();
  private Lexer lx;

  private Parser(String file) {
    this.file = file;
  }

  /** The result of parsing: the rules that parsed and every error. */
  record Result(List<Rule> rules, List<RuleError> errors) {}

  static Result parse(String file, String text) {
    Parser p = new Parser(file);
    for (LogicalLine line : LogicalLine.split(text)) {
      p.line(line);
    }
    return new Result(List.copyOf(p.rules), List.copyOf(p.errors));
  }

  private void line(LogicalLine line) {
    lx = new Lexer(line);
    if (lx.atEnd()) {
      return;
    }
    char first = lx.peekChar();
    if (first == '#' || first == ';') {
      return;
    }
    Position start = line.position(lx.pos);
    int errorsBefore = errors.size();
    try {
      Condition condition = condition();
      List<Action> actions = actions();
      if (errors.size() == errorsBefore) {
        Rule rule = Rule.of(file, start, condition, actions);
        Position earlier = seen.putIfAbsent(rule.id(), start);
        if (earlier != null) {
          errors.add(
              RuleError.at(
                  file,
                  start,
                  "duplicate rule: it means the same as the rule at line "
                      + earlier.line()
                      + " (rules are identified by their normalized text)"));
        } else {
          rules.add(rule);
        }
      }
    } catch (SyntaxError e) {
      errors.add(RuleError.at(file, line.position(e.index), e.getMessage()));
    }
  }

  // ---- conditions ----

  private Condition condition() throws SyntaxError {
    Condition c = or();
    int before = lx.pos;
    Token t = lx.condition();
    if (t.kind() == Kind.ARROW) {
      return c;
    }
    if (t.kind() == Kind.END) {
      throw new SyntaxError(
          t.start(), "expected '->' and an action after the condition, found end of line");
    }
    throw new SyntaxError(
        t.start(),
        "expected '&&', '||' or '->' after the condition, found "
            + lx.describe(before)
            + (t.kind() == Kind.LPAREN ? UNQUOTED_HINT : ""));
  }

  private Condition or() throws SyntaxError {
    List<Condition> operands = new ArrayList<>();
    add(operands, and(), Condition.Or.class);
    while (true) {
      int mark = lx.pos;
      if (lx.condition().kind() != Kind.OR) {
        lx.pos = mark;
        break;
      }
      add(operands, and(), Condition.Or.class);
    }
    return operands.size() == 1 ? operands.get(0) : new Condition.Or(operands);
  }

  private Condition and() throws SyntaxError {
    List<Condition> operands = new ArrayList<>();
    add(operands, unary(), Condition.And.class);
    while (true) {
      int mark = lx.pos;
      if (lx.condition().kind() != Kind.AND) {
        lx.pos = mark;
        break;
      }
      add(operands, unary(), Condition.And.class);
    }
    return operands.size() == 1 ? operands.get(0) : new Condition.And(operands);
  }

  /** Adds an operand, splicing in a parenthesized one of the same kind: (a && b) && c. */
  private static void add(List<Condition> operands, Condition c, Class<?> kind) {
    if (c instanceof Condition.And and && kind == Condition.And.class) {
      operands.addAll(and.operands());
    } else if (c instanceof Condition.Or or && kind == Condition.Or.class) {
      operands.addAll(or.operands());
    } else {
      operands.add(c);
    }
  }

  private Condition unary() throws SyntaxError {
    int mark = lx.pos;
    if (lx.condition().kind() == Kind.NOT) {
      return new Condition.Not(unary());
    }
    lx.pos = mark;
    return primary();
  }

  private Condition primary() throws SyntaxError {
    Token t = lx.condition();
    if (t.kind() == Kind.LPAREN) {
      Condition inner = or();
      int before = lx.pos;
      Token close = lx.condition();
      if (close.kind() != Kind.RPAREN) {
        throw new SyntaxError(
            close.start(),
            "expected '&&', '||' or ')' to close the '(' at "
                + lx.line.position(t.start())
                + ", found "
                + lx.describe(before));
      }
      return inner;
    }
    if (t.kind() == Kind.IDENT) {
      return comparison(t);
    }
    throw new SyntaxError(
        t.start(), "expected a condition (a field name, '(' or '!'), found " + lx.describe(t));
  }

  private Condition comparison(Token fieldToken) throws SyntaxError {
    String field = fieldToken.text();
    checkField(field, fieldToken.start());
    lx.skipBlanks();
    int opStart = lx.pos;
    String run = lx.operator();
    Condition.Operator op = Condition.Operator.bySymbol(run);
    if (op == null) {
      throw new SyntaxError(
          opStart,
          "expected "
              + OPERATOR_LIST
              + " after field '"
              + field
              + "', found "
              + (run.isEmpty() ? lx.describe(opStart) : Lexer.quoteForMessage(run)));
    }
    Token value = lx.value();
    if (value.kind() == Kind.END) {
      throw new SyntaxError(
          value.start(),
          "expected a value after '"
              + field
              + " "
              + run
              + "', found "
              + lx.describe(value.start()));
    }
    Regex regex = op == Condition.Operator.MATCHES ? regex(value) : null;
    return new Condition.Comparison(field, op, value.text(), regex);
  }

  private void checkField(String field, int index) {
    if (!FieldCatalog.isKnown(field)) {
      String hint =
          FieldCatalog.originalName(field)
              .map(h -> "; " + h)
              .or(() -> FieldCatalog.closest(field).map(c -> "; did you mean '" + c + "'?"))
              .orElse(" (docs/rules.md lists the fields of each event kind)");
      semantic(index, "unknown field '" + field + "'" + hint);
    }
  }

  /** Compiles a regex token, reporting a bad one at the offending character. */
  private Regex regex(Token t) {
    try {
      return new Regex(t.text());
    } catch (PatternSyntaxException e) {
      semantic(t.indexOf(e.getIndex()), "invalid regular expression: " + e.getDescription());
      return new Regex(Pattern.quote(t.text()));
    }
  }

  private void semantic(int index, String message) {
    errors.add(RuleError.at(file, lx.line.position(index), message));
  }

  // ---- actions ----

  private List<Action> actions() throws SyntaxError {
    List<Action> actions = new ArrayList<>();
    while (true) {
      Action action = action();
      actions.add(action);
      Token sep = lx.word();
      if (sep.kind() == Kind.END) {
        return actions;
      }
      if (sep.kind() != Kind.SEMI) {
        throw new SyntaxError(
            sep.start(),
            "expected ';' or the end of the rule after the "
                + action.keyword()
                + " action, found "
                + lx.describe(sep));
      }
      if (lx.atEnd()) {
        throw new SyntaxError(lx.pos, "expected " + ACTION_LIST + " after ';', found end of line");
      }
    }
  }

  private Action action() throws SyntaxError {
    Token kw = lx.word();
    Position at = lx.line.position(kw.start());
    if (kw.kind() != Kind.WORD || !ACTIONS.contains(kw.text())) {
      throw new SyntaxError(
          kw.start(),
          "expected " + ACTION_LIST + ", found " + lx.describe(kw) + caseHint(kw, ACTIONS));
    }
    switch (kw.text()) {
      case "DBLOAD":
        {
          String field = eventField("after DBLOAD (the field holding the CSV file's path)");
          return new Action.DbLoad(field, target("DBLOAD"), at);
        }
      case "DBTRANSFER":
        return dbTransfer(at);
      case "LOGLOAD":
        {
          String field = eventField("after LOGLOAD (the field holding the log file's path)");
          keyword("MATCH", "after the LOGLOAD field '" + field + "'");
          Regex match = regexArgument("after MATCH");
          keyword("FIELDS", "after the MATCH expression");
          List<FieldSpec> specs = fieldSpecs();
          keyword("DELIM", "after the field list");
          String delim = delimiter();
          return new Action.LogLoad(field, match, specs, delim, target("LOGLOAD"), at);
        }
      case "TRACK":
        {
          Regex path = regexArgument("after TRACK (for the paths to track)");
          Optional<String> repository = Optional.empty();
          int mark = lx.pos;
          if (lx.word().isWord("AT")) {
            repository = Optional.of(text("after AT (the repository directory)"));
          } else {
            lx.pos = mark;
          }
          return new Action.Track(path, repository, target("TRACK"), at);
        }
      case "CAPTURESOUT":
        {
          keyword("MATCH", "after CAPTURESOUT");
          Regex match = regexArgument("after MATCH");
          keyword("FIELDS", "after the MATCH expression");
          List<FieldSpec> specs = fieldSpecs();
          keyword("DELIM", "after the field list");
          String delim = delimiter();
          return new Action.CaptureStdout(match, specs, delim, target("CAPTURESOUT"), at);
        }
      default:
        {
          Token message = lx.word();
          if (message.kind() != Kind.STRING) {
            throw new SyntaxError(
                message.start(),
                "expected a quoted message after ALERT, found " + lx.describe(message));
          }
          int mark = lx.pos;
          boolean into = lx.word().isWord("INTO");
          lx.pos = mark;
          Optional<Target> target = into ? Optional.of(target("ALERT")) : Optional.empty();
          return new Action.Alert(message.text(), target, at);
        }
    }
  }

  private Action dbTransfer(Position at) throws SyntaxError {
    lx.skipBlanks();
    String query;
    String attribute;
    if (lx.peekChar() == '"') {
      query = lx.word().text();
      lx.skipBlanks();
      if (lx.peekChar() != '/') {
        throw new SyntaxError(
            lx.pos,
            "expected '/' and the state attribute after the DBTRANSFER query, found "
                + lx.describe(lx.pos));
      }
      lx.pos++;
      lx.skipBlanks();
      int attrStart = lx.pos;
      Token attr = lx.word();
      if (attr.kind() != Kind.WORD
          || KEYWORDS.contains(attr.text())
          || !IDENT.matcher(attr.text()).matches()) {
        throw new SyntaxError(
            attrStart, "expected a state attribute name after '/', found " + lx.describe(attr));
      }
      attribute = attr.text();
      keyword("FROM", "after the state attribute '" + attribute + "'");
    } else {
      // Unquoted, as in the original: the query runs up to the keyword FROM as a whole word and
      // the state attribute follows its last '/', so a query may divide. Quote queries that
      // contain an upper-case FROM, ';' or '/' after the attribute.
      int start = lx.pos;
      int end = start;
      int from;
      while (true) {
        Token t = lx.word();
        if (t.isWord("FROM")) {
          from = t.start();
          break;
        }
        if (t.kind() == Kind.END || t.kind() == Kind.SEMI) {
          throw new SyntaxError(
              t.start(),
              "expected query/stateAttribute FROM source after DBTRANSFER, found "
                  + lx.describe(t)
                  + " before FROM (quote a query that contains ';')");
        }
        end = t.end();
      }
      String raw = lx.slice(start, end);
      int slash = raw.lastIndexOf('/');
      if (slash < 0) {
        throw new SyntaxError(
            start,
            "expected query/stateAttribute after DBTRANSFER, found no '/' before FROM in "
                + Lexer.quoteForMessage(raw));
      }
      query = raw.substring(0, slash).strip();
      attribute = raw.substring(slash + 1).strip();
      if (query.isEmpty()) {
        throw new SyntaxError(start, "expected a query before '/' after DBTRANSFER");
      }
      if (!IDENT.matcher(attribute).matches()) {
        throw new SyntaxError(
            attribute.isEmpty()
                ? from
                : start
                    + slash
                    + 1
                    + (raw.length() - slash - 1 - raw.substring(slash + 1).stripLeading().length()),
            "expected a state attribute name after the last '/', found "
                + Lexer.quoteForMessage(attribute.isEmpty() ? "FROM" : attribute));
      }
    }
    lx.skipBlanks();
    Position sourceAt = lx.line.position(lx.pos);
    String source = alias("after FROM (the source database)", "INTO");
    return new Action.DbTransfer(query, attribute, source, sourceAt, target("DBTRANSFER"), at);
  }

  private Target target(String action) throws SyntaxError {
    keyword("INTO", "in the " + action + " action");
    Token kind = lx.word();
    if (kind.isWord("FILE")) {
      Token path = lx.word();
      if ((path.kind() != Kind.WORD && path.kind() != Kind.STRING)
          || (path.kind() == Kind.WORD && KEYWORDS.contains(path.text()))) {
        throw new SyntaxError(
            path.start(), "expected a file path after INTO FILE, found " + lx.describe(path));
      }
      if (path.text().isEmpty()) {
        throw new SyntaxError(path.start(), "the file path after INTO FILE must not be empty");
      }
      return new Target.File(path.text(), lx.line.position(path.start()));
    }
    if (!kind.isWord("DB")) {
      throw new SyntaxError(
          kind.start(),
          "expected DB or FILE after INTO, found "
              + lx.describe(kind)
              + caseHint(kind, Set.of("DB", "FILE")));
    }
    lx.skipBlanks();
    Position at = lx.line.position(lx.pos);
    String alias = alias("after INTO DB", "USING");
    keyword("USING", "after the database alias '" + alias + "'");
    lx.skipBlanks();
    String table = identifier("a table name after USING", true);
    lx.skipBlanks();
    if (lx.peekChar() != '/') {
      throw new SyntaxError(
          lx.pos,
          "expected '/' and the column names after table '"
              + table
              + "', found "
              + lx.describe(lx.pos));
    }
    lx.pos++;
    Set<String> columns = new LinkedHashSet<>();
    while (true) {
      lx.skipBlanks();
      int colStart = lx.pos;
      String column = identifier("a column name", false);
      if (!columns.add(column)) {
        semantic(colStart, "duplicate column '" + column + "'");
      }
      int mark = lx.pos;
      lx.skipBlanks();
      if (lx.peekChar() == ',') {
        lx.pos++;
        continue;
      }
      lx.pos = mark;
      break;
    }
    char next = lx.peekChar();
    if (next != 0 && !Lexer.isBlank(next) && next != ';') {
      throw new SyntaxError(
          lx.pos, "expected ',' or the end of the column list, found " + lx.describe(lx.pos));
    }
    return new Target.Db(alias, table, List.copyOf(columns), at);
  }

  private String identifier(String what, boolean dots) throws SyntaxError {
    int s = lx.pos;
    if (!Lexer.isIdentStart(lx.peekChar())) {
      throw new SyntaxError(s, "expected " + what + ", found " + lx.describe(s));
    }
    while (lx.pos < lx.length()) {
      char c = lx.peekChar();
      if (!Lexer.isIdentPart(c) || (c == '.' && !dots)) {
        break;
      }
      lx.pos++;
    }
    return lx.slice(s, lx.pos);
  }

  private String alias(String where, String nextKeyword) throws SyntaxError {
    Token t = lx.word();
    if (t.kind() != Kind.WORD
        || KEYWORDS.contains(t.text())
        || !ALIAS.matcher(t.text()).matches()) {
      boolean credentials =
          t.kind() == Kind.WORD && (t.text().contains("@") || t.text().contains(":"));
      throw new SyntaxError(
          t.start(),
          "expected a database alias "
              + where
              + ", found "
              + lx.describe(t)
              + (credentials ? CREDENTIALS_HINT : ""));
    }
    int mark = lx.pos;
    Token next = lx.word();
    lx.pos = mark;
    if (next.kind() == Kind.WORD && (next.text().contains("@") || next.text().contains(":"))) {
      throw new SyntaxError(
          next.start(),
          "expected "
              + nextKeyword
              + " after the database alias '"
              + t.text()
              + "', found "
              + lx.describe(next)
              + CREDENTIALS_HINT);
    }
    return t.text();
  }

  private void keyword(String keyword, String where) throws SyntaxError {
    Token t = lx.word();
    if (!t.isWord(keyword)) {
      throw new SyntaxError(
          t.start(),
          "expected "
              + keyword
              + " "
              + where
              + ", found "
              + lx.describe(t)
              + caseHint(t, Set.of(keyword)));
    }
  }

  private String eventField(String where) throws SyntaxError {
    Token t = lx.word();
    if (t.kind() != Kind.WORD
        || KEYWORDS.contains(t.text())
        || !IDENT.matcher(t.text()).matches()) {
      throw new SyntaxError(
          t.start(), "expected an event field name " + where + ", found " + lx.describe(t));
    }
    checkField(t.text(), t.start());
    return t.text();
  }

  private Regex regexArgument(String where) throws SyntaxError {
    Token t = lx.word();
    if (t.kind() == Kind.STRING || (t.kind() == Kind.WORD && !KEYWORDS.contains(t.text()))) {
      return regex(t);
    }
    throw new SyntaxError(
        t.start(), "expected a regular expression " + where + ", found " + lx.describe(t));
  }

  private String text(String where) throws SyntaxError {
    Token t = lx.word();
    if (t.kind() == Kind.STRING || (t.kind() == Kind.WORD && !KEYWORDS.contains(t.text()))) {
      if (t.text().isEmpty()) {
        throw new SyntaxError(t.start(), "expected a non-empty value " + where);
      }
      return t.text();
    }
    throw new SyntaxError(t.start(), "expected a path " + where + ", found " + lx.describe(t));
  }

  private String delimiter() throws SyntaxError {
    Token t = lx.word();
    if (t.kind() == Kind.STRING || (t.kind() == Kind.WORD && !KEYWORDS.contains(t.text()))) {
      if (t.text().isEmpty()) {
        throw new SyntaxError(t.start(), "the delimiter after DELIM must not be empty");
      }
      return t.text();
    }
    throw new SyntaxError(
        t.start(),
        "expected a delimiter after DELIM, found "
            + lx.describe(t)
            + " (quote delimiters with spaces or ';': DELIM \" \")");
  }

  private List<FieldSpec> fieldSpecs() throws SyntaxError {
    List<FieldSpec> specs = new ArrayList<>();
    while (true) {
      lx.skipBlanks();
      specs.add(fieldSpec());
      int mark = lx.pos;
      lx.skipBlanks();
      if (lx.peekChar() == ',') {
        lx.pos++;
        continue;
      }
      lx.pos = mark;
      return specs;
    }
  }

  private FieldSpec fieldSpec() throws SyntaxError {
    int s = lx.pos;
    while (lx.pos < lx.length()) {
      char c = lx.peekChar();
      if (Lexer.isBlank(c) || c == ',' || c == ';') {
        break;
      }
      lx.pos++;
    }
    String raw = lx.slice(s, lx.pos);
    if (raw.isEmpty() || KEYWORDS.contains(raw)) {
      throw new SyntaxError(s, "expected " + SPEC_LIST + ", found " + lx.describe(s));
    }
    if (IDENT.matcher(raw).matches()) {
      checkField(raw, s);
      return new FieldSpec.EventField(raw);
    }
    try {
      if (CONCAT_SPEC.matcher(raw).matches()) {
        List<Integer> indexes = new ArrayList<>();
        for (String part : raw.split("\\+")) {
          indexes.add(Integer.parseInt(part));
        }
        return new FieldSpec.Concat(indexes);
      }
      Matcher m = TOKEN_SPEC.matcher(raw);
      if (m.matches()) {
        int from = Integer.parseInt(m.group(1));
        int to =
            m.group(2) == null
                ? from
                : "e".equals(m.group(2)) ? FieldSpec.END : Integer.parseInt(m.group(2));
        if (to != FieldSpec.END && to < from) {
          throw new SyntaxError(s, "field spec '" + raw + "' ends before it starts");
        }
        if (m.group(3) != null) {
          int hours = Integer.parseInt(m.group(3));
          if (Math.abs(hours) > MAX_HOUR_OFFSET) {
            throw new SyntaxError(
                s + m.start(3), "the hour offset in '" + raw + "' must be between -24 and 24");
          }
          return new FieldSpec.Timestamp(from, to, hours);
        }
        return m.group(2) == null ? new FieldSpec.Token(from) : new FieldSpec.Range(from, to);
      }
    } catch (NumberFormatException e) {
      throw new SyntaxError(s, "a number in field spec '" + raw + "' is too large");
    }
    throw new SyntaxError(s, "expected " + SPEC_LIST + ", found " + Lexer.quoteForMessage(raw));
  }

  /** " (keywords are upper case)" when a word is a keyword in the wrong case. */
  private static String caseHint(Token t, Set<String> keywords) {
    if (t.kind() == Kind.WORD && keywords.contains(t.text().toUpperCase(Locale.ROOT))) {
      return " (keywords are upper case)";
    }
    return "";
  }
}
