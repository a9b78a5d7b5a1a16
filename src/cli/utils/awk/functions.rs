//! awk's builtin functions (`length`, `substr`, `split`, `sub`/`gsub`, `match`, `sprintf`, …).
//! Separate from the evaluator because each is a small contract of POSIX awk (1-based, rounded
//! indices; `&` in replacements; `RSTART`/`RLENGTH`) that a reader checks one at a time.

use super::machine::Machine;
use super::parser::Expr;
use super::value::{sprintf, Value};
use crate::cli::utils::pattern::Regex;
use std::collections::BTreeMap;

impl Machine<'_, '_> {
    pub(super) fn regex_arg(&mut self, expr: &Expr) -> Option<Regex> {
        match expr {
            Expr::Regex(i) => Some(self.regexes[*i].clone()),
            other => {
                let source = self.eval(other).str();
                self.regex(&source)
            }
        }
    }

    pub(super) fn call(&mut self, name: &str, args: &[Expr]) -> Value {
        let arity_error = |machine: &mut Self| {
            machine.fail(format!("function {name} called with {} args", args.len()));
            Value::Num(0.0)
        };
        match name {
            "length" => match args {
                [] => Value::Num(self.record.chars().count() as f64),
                [Expr::Var(array)] if self.arrays.contains_key(array) => {
                    Value::Num(self.arrays.get(array).map_or(0, BTreeMap::len) as f64)
                }
                [arg] => Value::Num(self.eval(arg).str().chars().count() as f64),
                _ => arity_error(self),
            },
            "substr" => {
                if !(2..=3).contains(&args.len()) {
                    return arity_error(self);
                }
                let text: Vec<char> = self.eval(&args[0]).str().chars().collect();
                let start = round_half_even(self.eval(&args[1]).num());
                let end = match args.get(2) {
                    Some(length) => start + round_half_even(self.eval(length).num()),
                    None => f64::INFINITY,
                };
                let from = start.max(1.0);
                let to = end.min(text.len() as f64 + 1.0);
                if to <= from {
                    return Value::Str(String::new());
                }
                Value::Str(text[(from as usize - 1)..(to as usize - 1)].iter().collect())
            }
            "index" => {
                if args.len() != 2 {
                    return arity_error(self);
                }
                let text = self.eval(&args[0]).str();
                let needle = self.eval(&args[1]).str();
                Value::Num(text.find(&needle).map_or(0, |at| text[..at].chars().count() + 1) as f64)
            }
            "split" => {
                let (Some(source), Some(Expr::Var(array))) = (args.first(), args.get(1)) else {
                    return arity_error(self);
                };
                let text = self.eval(source).str();
                let separator = match args.get(2) {
                    Some(Expr::Regex(i)) => {
                        let re = self.regexes[*i].clone();
                        let parts: Vec<String> = if text.is_empty() {
                            Vec::new()
                        } else {
                            re.split(&text).map(String::from).collect()
                        };
                        return self.fill_array(array, parts);
                    }
                    Some(other) => self.eval(other).str(),
                    None => self.str_var("FS"),
                };
                let parts = self.split(&text, &separator);
                self.fill_array(array, parts)
            }
            "sub" | "gsub" => {
                if !(2..=3).contains(&args.len()) {
                    return arity_error(self);
                }
                let Some(re) = self.regex_arg(&args[0]) else { return Value::Num(0.0) };
                let replacement = self.eval(&args[1]).str();
                let target = args.get(2).cloned().unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let text = self.eval(&target).str();
                let (result, count) = substitute(&re, &text, &replacement, name == "gsub");
                if count > 0 {
                    self.assign(&target, Value::Str(result));
                }
                Value::Num(count as f64)
            }
            "match" => {
                if args.len() != 2 {
                    return arity_error(self);
                }
                let text = self.eval(&args[0]).str();
                let found =
                    self.regex_arg(&args[1]).and_then(|re| re.find(&text).map(|m| (m.start(), m.end())));
                let (start, length) = match found {
                    Some((s, e)) => {
                        (text[..s].chars().count() as f64 + 1.0, text[s..e].chars().count() as f64)
                    }
                    None => (0.0, -1.0),
                };
                self.vars.insert("RSTART".into(), Value::Num(start));
                self.vars.insert("RLENGTH".into(), Value::Num(length));
                Value::Num(start)
            }
            "sprintf" => {
                if args.is_empty() {
                    return arity_error(self);
                }
                let values: Vec<Value> = args.iter().map(|a| self.eval(a)).collect();
                Value::Str(sprintf(&values[0].str(), &values[1..]))
            }
            "tolower" | "toupper" => {
                let [arg] = args else { return arity_error(self) };
                let text = self.eval(arg).str();
                Value::Str(if name == "tolower" { text.to_lowercase() } else { text.to_uppercase() })
            }
            "int" | "sqrt" | "exp" | "log" | "sin" | "cos" => {
                let [arg] = args else { return arity_error(self) };
                let n = self.eval(arg).num();
                Value::Num(match name {
                    "int" => n.trunc(),
                    "sqrt" => n.sqrt(),
                    "exp" => n.exp(),
                    "log" => n.ln(),
                    "sin" => n.sin(),
                    _ => n.cos(),
                })
            }
            "atan2" => {
                let [y, x] = args else { return arity_error(self) };
                let (y, x) = (self.eval(y).num(), self.eval(x).num());
                Value::Num(y.atan2(x))
            }
            _ => {
                self.fail(format!("function {name} is not supported by this console's awk"));
                Value::Num(0.0)
            }
        }
    }

    pub(super) fn fill_array(&mut self, array: &str, parts: Vec<String>) -> Value {
        self.arrays.insert(array.to_string(), BTreeMap::new());
        self.order.insert(array.to_string(), Vec::new());
        let count = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            self.array_set(array, (i + 1).to_string(), Value::StrNum(part));
        }
        Value::Num(count as f64)
    }
}

pub(super) fn round_half_even(n: f64) -> f64 {
    let rounded = n.round();
    if (n - n.trunc()).abs() == 0.5 && rounded % 2.0 != 0.0 {
        rounded - n.signum()
    } else {
        rounded
    }
}

/// `sub`/`gsub`: `&` in the replacement is the match, `\&` a literal ampersand.
pub(super) fn substitute(re: &Regex, text: &str, replacement: &str, global: bool) -> (String, usize) {
    let mut out = String::new();
    let mut last = 0;
    let mut count = 0;
    let mut at = 0;
    while at <= text.len() {
        let Some(m) = re.find_at(text, at) else { break };
        out.push_str(&text[last..m.start()]);
        let mut chars = replacement.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'&') => {
                    chars.next();
                    out.push('&');
                }
                '\\' if chars.peek() == Some(&'\\') => {
                    chars.next();
                    out.push('\\');
                }
                '&' => out.push_str(m.as_str()),
                c => out.push(c),
            }
        }
        count += 1;
        last = m.end();
        if m.end() == m.start() {
            // An empty match: copy one character and go on after it.
            match text[m.end()..].chars().next() {
                Some(c) => {
                    out.push(c);
                    last = m.end() + c.len_utf8();
                    at = last;
                }
                None => break,
            }
        } else {
            at = m.end();
        }
        if !global {
            break;
        }
    }
    out.push_str(&text[last.min(text.len())..]);
    (out, count)
}
