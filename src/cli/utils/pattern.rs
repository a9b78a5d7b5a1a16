//! POSIX regular expressions (grep's basic and extended syntax, awk's extended one) rewritten
//! into the syntax of `regex-lite`, the regex crate the utilities use: it is the one jaq's
//! `test`/`match`/`sub` already bring in, and a fraction of `regex`'s size in wasm (its Unicode
//! tables are what `regex` costs); the filters here need ASCII classes, not Unicode ones.

pub use regex_lite::Regex;
use regex_lite::RegexBuilder;

/// A pattern rewritten, or grep's complaint about it.
pub fn translate(pattern: &str, extended: bool) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut depth = 0usize;
    let mut i = 0;
    // Where a `*` is literal: at the start, after `(` or `|` or `^`.
    let mut at_start = true;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        let was_start = at_start;
        at_start = false;
        match c {
            '\\' => {
                let Some(&next) = chars.get(i) else {
                    return Err("Trailing backslash".into());
                };
                i += 1;
                match next {
                    '(' | ')' | '{' | '}' | '|' | '+' | '?' if !extended => {
                        if next == '(' {
                            depth += 1;
                            at_start = true;
                        } else if next == ')' {
                            if depth == 0 {
                                return Err("Unmatched ) or \\)".into());
                            }
                            depth -= 1;
                        } else if next == '|' {
                            at_start = true;
                        }
                        out.push(next);
                    }
                    '<' | '>' => out.push_str("\\b"),
                    'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(next);
                    }
                    'n' => out.push('\n'),
                    't' if extended => out.push('\t'),
                    other => push_literal(&mut out, other),
                }
            }
            '[' => {
                i = bracket(&chars, i, &mut out)?;
            }
            '(' | ')' | '{' | '}' | '|' | '+' | '?' if !extended => push_literal(&mut out, c),
            '(' if extended => {
                depth += 1;
                at_start = true;
                out.push('(');
            }
            ')' if extended => {
                if depth == 0 {
                    // An unmatched `)` in an ERE is an ordinary character.
                    out.push_str("\\)");
                } else {
                    depth -= 1;
                    out.push(')');
                }
            }
            '|' if extended => {
                at_start = true;
                out.push('|');
            }
            '{' if extended => {
                // An interval only when it reads as one; otherwise GNU takes `{` literally.
                let rest: String = chars[i..].iter().collect();
                let close = rest.find('}');
                let valid = close.is_some_and(|end| {
                    let body = &rest[..end];
                    !body.is_empty()
                        && body.split(',').count() <= 2
                        && body.split(',').next().is_some_and(|m| m.bytes().all(|b| b.is_ascii_digit()))
                        && body.chars().all(|c| c.is_ascii_digit() || c == ',')
                });
                if valid && !was_start {
                    out.push('{');
                } else {
                    out.push_str("\\{");
                }
            }
            '*' if was_start => out.push_str("\\*"),
            '+' | '?' if was_start => push_literal(&mut out, c),
            '^' => {
                at_start = true;
                out.push('^');
            }
            other => {
                if "$.*+?{}".contains(other) {
                    out.push(other);
                } else {
                    push_literal(&mut out, other);
                }
            }
        }
    }
    if depth > 0 {
        return Err("Unmatched ( or \\(".into());
    }
    Ok(out)
}

fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_punctuation() || c == ' ' {
        // regex-lite allows escaping any ASCII punctuation; spaces and the rest need none.
        if c != ' ' {
            out.push('\\');
        }
    }
    out.push(c);
}

/// A bracket expression from after its `[`; the index after its `]`. Backslashes are literal in
/// POSIX brackets, and `[`, `&`, `~`, `-` runs mean set operations to regex-lite, so they are
/// escaped; `[:alpha:]` classes pass through.
fn bracket(chars: &[char], mut i: usize, out: &mut String) -> Result<usize, String> {
    const UNMATCHED: &str = "Unmatched [, [^, [:, [., or [=";
    out.push('[');
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(UNMATCHED.into());
        };
        i += 1;
        match c {
            ']' if !first => {
                out.push(']');
                return Ok(i);
            }
            '[' if matches!(chars.get(i), Some(':')) => {
                let rest: String = chars[i..].iter().collect();
                let Some(end) = rest.find(":]") else {
                    return Err(UNMATCHED.into());
                };
                let name = &rest[1..end];
                const CLASSES: &[&str] = &[
                    "alpha", "digit", "alnum", "upper", "lower", "space", "punct", "print", "graph", "cntrl",
                    "xdigit", "blank",
                ];
                if !CLASSES.contains(&name) {
                    return Err("Invalid character class name".into());
                }
                out.push_str(&format!("[:{name}:]"));
                i += rest[..end + 2].chars().count();
            }
            '\\' | '[' | ']' | '&' | '~' | '^' => {
                out.push('\\');
                out.push(c);
            }
            '-' if chars.get(i) == Some(&'-') => {
                out.push_str("\\-");
            }
            other => out.push(other),
        }
        first = false;
    }
}

/// Compiles a translated pattern.
pub fn compile(translated: &str, ignore_case: bool) -> Result<Regex, String> {
    RegexBuilder::new(translated)
        .case_insensitive(ignore_case)
        .build()
        .map_err(|_| "Invalid regular expression".to_string())
}

/// A literal string as a pattern (`grep -F`).
pub fn escape(text: &str) -> String {
    regex_lite::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_and_extended_syntax_become_the_same_regex() {
        assert_eq!(translate(r"a\(b\|c\)\{2\}+", false).unwrap(), r"a(b|c){2}\+");
        assert_eq!(translate("a(b|c){2}+", true).unwrap(), "a(b|c){2}+");
        assert_eq!(translate("*a", false).unwrap(), r"\*a");
        assert_eq!(translate(r"[]a\]", true).unwrap(), r"[\]a\\]");
        assert_eq!(translate("[[:digit:]]x", true).unwrap(), "[[:digit:]]x");
        assert!(translate("a(", true).is_err());
        assert!(translate("[a", true).is_err());
        let re = compile(&translate("^RUN+ING$", true).unwrap(), false).unwrap();
        assert!(re.is_match("RUNNING") && !re.is_match("PENDING"));
    }
}
