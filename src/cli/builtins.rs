//! The shell builtins that need no interpreter state: `echo`, `printf`, `test`/`[`/`[[ ]]`'s
//! evaluation, `read`'s line splitting, `sleep`'s intervals. Output and statuses are bash 5.2's.

use super::glob;
use crate::engine::time::{DAY, HOUR, MINUTE, SECOND};
use crate::support::decimal::parse_f64;

/// `echo [-neE] words…`.
pub fn echo(args: &[String]) -> String {
    let mut newline = true;
    let mut escapes = false;
    let mut words = args;
    while let Some(first) = words.first() {
        let flags = first.strip_prefix('-').filter(|f| !f.is_empty() && f.chars().all(|c| "neE".contains(c)));
        let Some(flags) = flags else { break };
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        words = &words[1..];
    }
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if escapes {
            let (text, stop) = backslash_escapes(word);
            out.push_str(&text);
            if stop {
                return out;
            }
        } else {
            out.push_str(word);
        }
    }
    if newline {
        out.push('\n');
    }
    out
}

/// `\n`, `\t`, … as `echo -e` and `printf %b` read them; `true` when `\c` stops the output.
/// (awk's `-v` and `-F` escapes are another table: they take `\"` and `\/` and none of `\e`,
/// `\0NNN` or `\c`, so `utils::awk` keeps its own.)
fn backslash_escapes(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('e') => out.push('\u{1b}'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut value = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(value).unwrap_or('\0'));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

/// `printf FORMAT args…`: output, error text and status (1 when an argument was not a number).
pub fn printf(args: &[String]) -> (String, String, i32) {
    let Some(format) = args.first() else {
        return (String::new(), "printf: usage: printf [-v var] format [arguments]\n".into(), 2);
    };
    let mut args = args[1..].iter();
    let mut out = String::new();
    let mut err = String::new();
    let mut status = 0;
    let chars: Vec<char> = format.chars().collect();
    loop {
        let mut consumed = false;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' {
                let (text, next) = format_escape(&chars, i);
                out.push_str(&text);
                i = next;
                continue;
            }
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            if chars.get(i + 1) == Some(&'%') {
                out.push('%');
                i += 2;
                continue;
            }
            let start = i;
            i += 1;
            let mut flags = String::new();
            while let Some(f) = chars.get(i).filter(|f| "-+ #0".contains(**f)) {
                flags.push(*f);
                i += 1;
            }
            let mut width = String::new();
            while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit() || **d == '*') {
                width.push(*d);
                i += 1;
            }
            let mut precision = None;
            if chars.get(i) == Some(&'.') {
                i += 1;
                let mut p = String::new();
                while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit() || **d == '*') {
                    p.push(*d);
                    i += 1;
                }
                precision = Some(p);
            }
            let Some(&conversion) = chars.get(i) else {
                err.push_str(&format!(
                    "printf: `{}': missing format character\n",
                    chars[start..].iter().collect::<String>()
                ));
                return (out, err, 1);
            };
            i += 1;
            let mut star = |text: String| -> String {
                if text == "*" {
                    consumed = true;
                    args.next().cloned().unwrap_or_default()
                } else {
                    text
                }
            };
            let width: usize = star(width).parse().unwrap_or(0);
            let precision: Option<usize> = precision.map(|p| star(p).parse().unwrap_or(0));
            let arg = args.next();
            consumed |= arg.is_some();
            let arg = arg.map(String::as_str).unwrap_or("");
            let body = match conversion {
                's' => match precision {
                    Some(p) => arg.chars().take(p).collect(),
                    None => arg.to_string(),
                },
                'b' => backslash_escapes(arg).0,
                'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                'q' => quote_q(arg),
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    let value = integer_argument(arg).unwrap_or_else(|| {
                        err.push_str(&format!("printf: {arg}: invalid number\n"));
                        status = 1;
                        0
                    });
                    let digits = match conversion {
                        'x' => format!("{value:x}"),
                        'X' => format!("{value:X}"),
                        'o' => format!("{value:o}"),
                        _ => value.unsigned_abs().to_string(),
                    };
                    let digits = match precision {
                        Some(p) if digits.len() < p => format!("{}{digits}", "0".repeat(p - digits.len())),
                        _ => digits,
                    };
                    let sign = if value < 0 && matches!(conversion, 'd' | 'i' | 'u') {
                        "-"
                    } else if flags.contains('+') {
                        "+"
                    } else {
                        ""
                    };
                    if flags.contains('0') && !flags.contains('-') && precision.is_none() {
                        let pad = width.saturating_sub(sign.len() + digits.len());
                        format!("{sign}{}{digits}", "0".repeat(pad))
                    } else {
                        format!("{sign}{digits}")
                    }
                }
                'f' | 'e' | 'g' => {
                    let value = if arg.is_empty() { Some(0.0) } else { parse_f64(arg) };
                    let value = value.unwrap_or_else(|| {
                        err.push_str(&format!("printf: {arg}: invalid number\n"));
                        status = 1;
                        0.0
                    });
                    let p = precision.unwrap_or(6);
                    let text = match conversion {
                        'e' => format!("{value:.p$e}"),
                        _ => format!("{value:.p$}"),
                    };
                    if flags.contains('0') && !flags.contains('-') {
                        format!("{text:0>width$}")
                    } else {
                        text
                    }
                }
                other => {
                    err.push_str(&format!("printf: `{other}': invalid format character\n"));
                    return (out, err, 1);
                }
            };
            let pad = width.saturating_sub(body.chars().count());
            if flags.contains('-') {
                out.push_str(&body);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&body);
            }
        }
        // The format is reused while arguments remain, as bash does.
        if !consumed || args.len() == 0 {
            break;
        }
    }
    (out, err, status)
}

/// `printf %q`: bash's backslash quoting (`''` for the empty string).
fn quote_q(text: &str) -> String {
    if text.is_empty() {
        return "''".into();
    }
    let mut out = String::new();
    for c in text.chars() {
        if !(c.is_ascii_alphanumeric() || "-_./:=,@%+^".contains(c)) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn format_escape(chars: &[char], i: usize) -> (String, usize) {
    let text: String = chars[i..chars.len().min(i + 2)].iter().collect();
    if chars.get(i + 1) == Some(&'"') {
        return ("\"".into(), i + 2);
    }
    let (out, _) = backslash_escapes(&text);
    (out, i + text.chars().count())
}

fn integer_argument(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return Some(0);
    }
    if let Some(c) = text.strip_prefix('\'').or_else(|| text.strip_prefix('"')) {
        return c.chars().next().map(|c| c as i64);
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(if negative { -value } else { value })
}

/// An argument of `test` / `[[ ]]`: its text, and for `[[ ]]`'s right-hand side of `==`/`!=`
/// the pattern (quoted parts escaped).
#[derive(Debug, Clone)]
pub struct TestArg {
    pub text: String,
    pub pattern: Option<String>,
    /// An operator token of `[[ ]]` (`&&`, `||`, `(`, …), never a plain string.
    pub operator: bool,
}

/// Evaluates `test`/`[`'s arguments (`[` without the closing `]`) or `[[ ]]`'s (`double`):
/// 0 true, 1 false, 2 with an error message.
pub fn test(args: &[TestArg], double: bool, exists: &dyn Fn(&str) -> bool) -> Result<bool, String> {
    let mut parser = TestParser { args, index: 0, double, exists, depth: 0 };
    if args.is_empty() {
        return Ok(false);
    }
    let value = parser.or()?;
    if parser.index < args.len() {
        return Err(format!("{}: unexpected argument", args[parser.index].text));
    }
    Ok(value)
}

struct TestParser<'a> {
    args: &'a [TestArg],
    index: usize,
    double: bool,
    exists: &'a dyn Fn(&str) -> bool,
    /// `(` and `!` recurse: bounded, as bash's own parser is.
    depth: usize,
}

impl TestParser<'_> {
    fn is(&self, offset: usize, text: &str) -> bool {
        self.args.get(self.index + offset).is_some_and(|a| {
            a.text == text && (a.operator || !self.double || !matches!(text, "&&" | "||" | "(" | ")" | "!"))
        })
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut value = self.and()?;
        while self.is(0, if self.double { "||" } else { "-o" }) && self.args.len() > self.index + 1 {
            self.index += 1;
            let right = self.and()?;
            value = value || right;
        }
        Ok(value)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut value = self.not()?;
        while self.is(0, if self.double { "&&" } else { "-a" }) && self.args.len() > self.index + 1 {
            self.index += 1;
            let right = self.not()?;
            value = value && right;
        }
        Ok(value)
    }

    fn not(&mut self) -> Result<bool, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply".into());
        }
        let value = self.not_inner();
        self.depth -= 1;
        value
    }

    fn not_inner(&mut self) -> Result<bool, String> {
        if self.is(0, "!") && self.args.len() > self.index + 1 {
            self.index += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, String> {
        let Some(first) = self.args.get(self.index) else {
            return Err("argument expected".into());
        };
        if self.is(0, "(") {
            self.index += 1;
            let value = self.or()?;
            if !self.is(0, ")") {
                return Err("`)' expected".into());
            }
            self.index += 1;
            return Ok(value);
        }
        // Binary operators first: `[ -n = -n ]` compares strings.
        if let Some(op) =
            self.args.get(self.index + 1).filter(|a| !a.operator || matches!(a.text.as_str(), "<" | ">"))
        {
            if let Some(right) = self.args.get(self.index + 2) {
                if let Some(result) = self.binary(&first.text, &op.text, right)? {
                    self.index += 3;
                    return Ok(result);
                }
            }
        }
        let text = first.text.as_str();
        if text.len() == 2 && text.starts_with('-') && self.args.len() > self.index + 1 && !first.operator {
            let operand = &self.args[self.index + 1].text;
            let result = match &text[1..] {
                "z" => operand.is_empty(),
                "n" => !operand.is_empty(),
                "e" | "f" | "r" | "w" | "s" => (self.exists)(operand),
                "d" => operand == "/" || operand == "." || operand == "/tmp",
                "x" | "L" | "h" | "p" | "S" | "b" | "c" | "t" => false,
                "v" => false,
                _ => return Err(format!("{text}: unary operator expected")),
            };
            self.index += 2;
            return Ok(result);
        }
        self.index += 1;
        Ok(!text.is_empty())
    }

    fn binary(&self, left: &str, op: &str, right: &TestArg) -> Result<Option<bool>, String> {
        let integer = |text: &str| -> Result<i64, String> {
            text.trim().parse::<i64>().map_err(|_| format!("{text}: integer expression expected"))
        };
        let matches = |negate: bool| {
            let result = match &right.pattern {
                Some(pattern) if self.double => glob::matches(pattern, left),
                _ => left == right.text,
            };
            Some(result != negate)
        };
        Ok(match op {
            "=" | "==" => matches(false),
            "!=" => matches(true),
            "<" => Some(left < right.text.as_str()),
            ">" => Some(left > right.text.as_str()),
            "-eq" => Some(integer(left)? == integer(&right.text)?),
            "-ne" => Some(integer(left)? != integer(&right.text)?),
            "-lt" => Some(integer(left)? < integer(&right.text)?),
            "-le" => Some(integer(left)? <= integer(&right.text)?),
            "-gt" => Some(integer(left)? > integer(&right.text)?),
            "-ge" => Some(integer(left)? >= integer(&right.text)?),
            "-nt" | "-ot" | "-ef" => Some(false),
            _ => None,
        })
    }
}

/// `sleep N[smhd] …` (summed, as GNU sleep does): the milliseconds, or the error message.
pub fn sleep_ms(args: &[String]) -> Result<u64, String> {
    if args.is_empty() {
        return Err("sleep: missing operand\n".into());
    }
    let mut total_ms: u64 = 0;
    for arg in args {
        let (number, unit_ms) = match arg.chars().last() {
            Some('s') => (&arg[..arg.len() - 1], SECOND as f64),
            Some('m') => (&arg[..arg.len() - 1], MINUTE as f64),
            Some('h') => (&arg[..arg.len() - 1], HOUR as f64),
            Some('d') => (&arg[..arg.len() - 1], DAY as f64),
            _ => (arg.as_str(), SECOND as f64),
        };
        match parse_f64(number) {
            Some(value) if value.is_finite() && value >= 0.0 => {
                total_ms = total_ms.saturating_add((value * unit_ms).round() as u64)
            }
            _ => return Err(format!("sleep: invalid time interval '{arg}'\n")),
        }
    }
    Ok(total_ms)
}

/// Splits a line read by `read` into `count` fields on `ifs`: the last takes the rest.
pub fn split_read(line: &str, count: usize, ifs: &str) -> Vec<String> {
    let is_ws = |c: char| ifs.contains(c) && c.is_whitespace();
    let is_sep = |c: char| ifs.contains(c);
    let mut fields = Vec::new();
    let mut rest = line.trim_start_matches(is_ws);
    while fields.len() + 1 < count && !rest.is_empty() {
        match rest.find(is_sep) {
            Some(at) => {
                fields.push(rest[..at].to_string());
                let after = &rest[at..];
                let mut chars = after.chars();
                let sep = chars.next().unwrap_or(' ');
                let mut tail = chars.as_str();
                tail = tail.trim_start_matches(is_ws);
                if sep.is_whitespace() && tail.starts_with(|c: char| is_sep(c) && !c.is_whitespace()) {
                    tail = tail[tail.chars().next().map_or(0, char::len_utf8)..].trim_start_matches(is_ws);
                }
                rest = tail;
            }
            None => {
                fields.push(rest.to_string());
                rest = "";
            }
        }
    }
    if count > 0 {
        fields.push(rest.trim_end_matches(is_ws).to_string());
    }
    while fields.len() < count {
        fields.push(String::new());
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_reuses_its_format_and_pads() {
        let args: Vec<String> = ["%-5s|%03d\n", "a", "7", "bb", "42"].iter().map(|s| s.to_string()).collect();
        assert_eq!(printf(&args).0, "a    |007\nbb   |042\n");
        let args: Vec<String> = ["%s %.2f%%\n", "x", "3.14159"].iter().map(|s| s.to_string()).collect();
        assert_eq!(printf(&args).0, "x 3.14%\n");
    }

    #[test]
    fn read_splits_like_bash() {
        assert_eq!(split_read("  a  b c  ", 2, " \t\n"), ["a", "b c"]);
        assert_eq!(split_read("a,b,,c", 3, ","), ["a", "b", ",c"]);
        assert_eq!(split_read("x", 3, " "), ["x", "", ""]);
    }
}
