//! Word expansion as bash does it: parameters (with `${…}` operators), `$(…)`, arithmetic, field
//! splitting on IFS, and the patterns of `${…#…}`, `${…/…}` and `case` (quoted text matches
//! itself). Kept apart because its rules (what splits, what stays quoted, when an unset variable
//! is fatal) are the subtlest in the shell and are read on their own.

use super::{Acc, Control, Interpreter, Piece};
use crate::cli::arith;
use crate::cli::backend::Backend;
use crate::cli::glob;
use crate::cli::script::{ParamOp, ReplaceMode, Word, WordPart};

impl Interpreter {
    /// A fatal expansion error: the message, then the shell exits with status 1.
    pub(super) fn fatal(&mut self, acc: &mut Acc, message: String) -> Result<Vec<Piece>, ()> {
        acc.stderr.push_str(&message);
        self.control = Some(Control::Exit(1));
        Err(())
    }

    pub(super) fn pieces(
        &mut self,
        word: &Word,
        backend: &mut dyn Backend,
        acc: &mut Acc,
    ) -> Result<Vec<Piece>, ()> {
        let mut pieces = Vec::new();
        for part in &word.parts {
            match part {
                WordPart::Literal { text, quoted } => pieces.push(Piece {
                    text: text.clone(),
                    quoted: *quoted,
                    expanded: false,
                    field_break: false,
                }),
                WordPart::Param { name, op, quoted } => {
                    pieces.extend(self.param(name, op, *quoted, backend, acc)?)
                }
                WordPart::CommandSubstitution { script, quoted } => {
                    let inner = self.substitute(script, backend);
                    acc.stderr.push_str(&inner.stderr);
                    acc.status = inner.exit_code;
                    pieces.push(Piece::new(inner.stdout.trim_end_matches('\n').to_string(), *quoted));
                }
                WordPart::Arithmetic { expression, quoted } => {
                    let text = self.joined(expression, backend, acc)?;
                    match arith::evaluate(&text, self) {
                        Ok(value) => pieces.push(Piece::new(value.to_string(), *quoted)),
                        Err(message) => return self.fatal(acc, format!("{}: {message}\n", text.trim())),
                    }
                }
            }
        }
        Ok(pieces)
    }

    pub(super) fn param(
        &mut self,
        name: &str,
        op: &ParamOp,
        quoted: bool,
        backend: &mut dyn Backend,
        acc: &mut Acc,
    ) -> Result<Vec<Piece>, ()> {
        let value = self.param_value(name);
        let unset = |colon: bool| value.as_deref().is_none_or(|v| colon && v.is_empty());
        let check_bound = |this: &mut Self, acc: &mut Acc| -> Result<String, ()> {
            match &value {
                Some(v) => Ok(v.clone()),
                None if this.options.nounset && !matches!(name, "@" | "*") => {
                    this.fatal(acc, format!("{name}: unbound variable\n")).map(|_| String::new())
                }
                None => Ok(String::new()),
            }
        };
        let one = |text: String| vec![Piece::new(text, quoted)];
        Ok(match op {
            ParamOp::Plain if name == "@" && quoted => self
                .positional
                .iter()
                .enumerate()
                .map(|(i, p)| Piece { text: p.clone(), quoted: true, expanded: true, field_break: i > 0 })
                .collect(),
            ParamOp::Plain => one(check_bound(self, acc)?),
            ParamOp::Length => one(check_bound(self, acc)?.chars().count().to_string()),
            ParamOp::Default { colon, word } => {
                if unset(*colon) {
                    self.pieces(word, backend, acc)?
                } else {
                    one(value.clone().unwrap_or_default())
                }
            }
            ParamOp::Assign { colon, word } => {
                if unset(*colon) {
                    let text = self.joined(word, backend, acc)?;
                    self.variables.insert(name.to_string(), text.clone());
                    one(text)
                } else {
                    one(value.clone().unwrap_or_default())
                }
            }
            ParamOp::Error { colon, word } => {
                if unset(*colon) {
                    let message = self.joined(word, backend, acc)?;
                    let message =
                        if message.is_empty() { "parameter null or not set".to_string() } else { message };
                    return self.fatal(acc, format!("{name}: {message}\n"));
                }
                one(value.clone().unwrap_or_default())
            }
            ParamOp::Alternative { colon, word } => {
                if unset(*colon) {
                    Vec::new()
                } else {
                    self.pieces(word, backend, acc)?
                }
            }
            ParamOp::RemovePrefix { longest, pattern } | ParamOp::RemoveSuffix { longest, pattern } => {
                let text = check_bound(self, acc)?;
                let pattern = self.pattern(pattern, backend, acc)?;
                let prefix = matches!(op, ParamOp::RemovePrefix { .. });
                one(glob::remove(&pattern, &text, prefix, *longest))
            }
            ParamOp::Replace { mode, pattern, replacement } => {
                let text = check_bound(self, acc)?;
                let pattern = self.pattern(pattern, backend, acc)?;
                let replacement = self.joined(replacement, backend, acc)?;
                let anchor = match mode {
                    ReplaceMode::Prefix => Some(true),
                    ReplaceMode::Suffix => Some(false),
                    _ => None,
                };
                one(glob::replace(&pattern, &text, &replacement, *mode == ReplaceMode::All, anchor))
            }
            ParamOp::Substring { offset, length } => {
                let text = check_bound(self, acc)?;
                let chars: Vec<char> = text.chars().collect();
                let n = chars.len() as i64;
                let offset_text = self.joined(offset, backend, acc)?;
                let start = match arith::evaluate(&offset_text, self) {
                    Ok(v) => v,
                    Err(message) => return self.fatal(acc, format!("{offset_text}: {message}\n")),
                };
                let start = if start < 0 { (n + start).max(0) } else { start.min(n) };
                let end = match length {
                    Some(length) => {
                        let length_text = self.joined(length, backend, acc)?;
                        let length = match arith::evaluate(&length_text, self) {
                            Ok(v) => v,
                            Err(message) => return self.fatal(acc, format!("{length_text}: {message}\n")),
                        };
                        if length < 0 {
                            let end = n + length;
                            if end < start {
                                return self.fatal(acc, format!("{length_text}: substring expression < 0\n"));
                            }
                            end
                        } else {
                            (start + length).min(n)
                        }
                    }
                    None => n,
                };
                one(chars[start as usize..end as usize].iter().collect())
            }
            ParamOp::Case { upper, all } => {
                let text = check_bound(self, acc)?;
                let convert = |c: char| {
                    if *upper {
                        c.to_uppercase().collect::<String>()
                    } else {
                        c.to_lowercase().collect()
                    }
                };
                let mut chars = text.chars();
                let converted = if *all {
                    chars.map(convert).collect()
                } else {
                    chars.next().map(convert).unwrap_or_default() + chars.as_str()
                };
                one(converted)
            }
        })
    }

    /// Expands words into fields: unquoted expansions are split on IFS, as the shell does.
    pub(super) fn fields(
        &mut self,
        words: &[Word],
        backend: &mut dyn Backend,
        acc: &mut Acc,
    ) -> Result<Vec<String>, ()> {
        let ifs = self.ifs();
        let is_ifs = |c: char| ifs.contains(c);
        let is_ws = |c: char| ifs.contains(c) && c.is_whitespace();
        let mut fields = Vec::new();
        for word in words {
            let pieces = self.pieces(word, backend, acc)?;
            let mut current: Option<String> = None;
            for piece in pieces {
                if piece.field_break {
                    fields.extend(current.take());
                }
                if piece.quoted || !piece.expanded {
                    current.get_or_insert_with(String::new).push_str(&piece.text);
                    continue;
                }
                let chars: Vec<char> = piece.text.chars().collect();
                let mut i = 0;
                while i < chars.len() {
                    if is_ifs(chars[i]) {
                        let mut j = i;
                        while j < chars.len() && is_ws(chars[j]) {
                            j += 1;
                        }
                        let hard = j < chars.len() && is_ifs(chars[j]) && !is_ws(chars[j]);
                        if hard {
                            j += 1;
                            while j < chars.len() && is_ws(chars[j]) {
                                j += 1;
                            }
                            fields.push(current.take().unwrap_or_default());
                        } else {
                            fields.extend(current.take());
                        }
                        i = j;
                    } else {
                        current.get_or_insert_with(String::new).push(chars[i]);
                        i += 1;
                    }
                }
            }
            fields.extend(current);
        }
        Ok(fields)
    }

    /// Expands a word without field splitting (`NAME=value`, redirection targets, `case`).
    pub(super) fn joined(
        &mut self,
        word: &Word,
        backend: &mut dyn Backend,
        acc: &mut Acc,
    ) -> Result<String, ()> {
        let pieces = self.pieces(word, backend, acc)?;
        let mut text = String::new();
        for piece in pieces {
            if piece.field_break {
                text.push(' ');
            }
            text.push_str(&piece.text);
        }
        Ok(text)
    }

    /// Expands a pattern word: quoted text matches itself only.
    pub(super) fn pattern(
        &mut self,
        word: &Word,
        backend: &mut dyn Backend,
        acc: &mut Acc,
    ) -> Result<String, ()> {
        let pieces = self.pieces(word, backend, acc)?;
        Ok(pieces.iter().map(|p| if p.quoted { glob::escape(&p.text) } else { p.text.clone() }).collect())
    }
}
