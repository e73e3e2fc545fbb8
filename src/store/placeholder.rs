//! Rewriting the project's `?` placeholders to PostgreSQL's `$n`.

/// Replace every `?` placeholder by `$1, $2, …`, leaving `?` inside single
/// quoted string literals (with `''` escapes), double quoted identifiers,
/// `-- line comments` and `/* block comments */` untouched.
pub(crate) fn to_dollar(sql: &str) -> String {
    #[derive(PartialEq)]
    enum State {
        Code,
        Literal,
        Identifier,
        LineComment,
        BlockComment,
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut state = State::Code;
    let mut n = 0u32;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match state {
            State::Code => match c {
                '?' => {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                    continue;
                }
                '\'' => state = State::Literal,
                '"' => state = State::Identifier,
                '-' if chars.peek() == Some(&'-') => state = State::LineComment,
                '/' if chars.peek() == Some(&'*') => {
                    out.push(c);
                    out.extend(chars.next());
                    state = State::BlockComment;
                    continue;
                }
                _ => {}
            },
            // A doubled quote ('' or "") closes and immediately reopens,
            // which toggling handles without lookahead.
            State::Literal if c == '\'' => state = State::Code,
            State::Identifier if c == '"' => state = State::Code,
            State::LineComment if c == '\n' => state = State::Code,
            State::BlockComment if c == '*' && chars.peek() == Some(&'/') => {
                out.push(c);
                out.extend(chars.next());
                state = State::Code;
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_dollar;

    #[test]
    fn numbers_placeholders_in_order() {
        assert_eq!(
            to_dollar("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
        );
    }

    #[test]
    fn skips_literals_identifiers_and_comments() {
        assert_eq!(
            to_dollar(
                "SELECT 'wer?', 'it''s ?', \"a?b\" FROM t -- was?\nWHERE x = ? /* y? */ AND z = ?"
            ),
            "SELECT 'wer?', 'it''s ?', \"a?b\" FROM t -- was?\nWHERE x = $1 /* y? */ AND z = $2"
        );
    }

    #[test]
    fn keeps_non_ascii_text() {
        assert_eq!(
            to_dollar("UPDATE t SET name = 'Müßig?' WHERE straße = ?"),
            "UPDATE t SET name = 'Müßig?' WHERE straße = $1"
        );
    }

    #[test]
    fn minus_and_slash_alone_are_code() {
        assert_eq!(to_dollar("SELECT ? - 1, ? / 2"), "SELECT $1 - 1, $2 / 2");
    }
}
