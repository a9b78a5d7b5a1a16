//! Words: quoting (`'…'`, `"…"`, `$'…'`), `$VAR` and `${VAR…}` with its operators, `$(…)`,
//! backquotes and `$((…))`. Separate from the command grammar because a word's rules depend on
//! whether it is quoted, not on the command around it, and they are the densest part of the
//! shell's syntax.

use super::cursor::Parser;
use super::{
    is_name, is_name_char, is_name_start, ParamOp, Position, ReplaceMode, Script, ScriptError, Word, WordPart,
};
use std::rc::Rc;

impl Parser {
    /// A word that must not be empty: an operator where a loop expects words is an error (a
    /// fuzzer found `[[ ;` looping forever on an empty word).
    pub(super) fn word_progressing(&mut self, place: &str) -> Result<Word, ScriptError> {
        let start = self.index;
        let at = self.position();
        let word = self.word()?;
        if self.index == start {
            let found = self.peek().map_or("end of script".to_string(), |c| format!("'{c}'"));
            return Err(self.error(at, format!("unexpected {found} {place}")));
        }
        Ok(word)
    }

    /// One unquoted-context word (stops at blanks and operators).
    pub(super) fn word(&mut self) -> Result<Word, ScriptError> {
        self.word_until(&[])
    }

    /// A word that also stops at any of `extra` (`}` and `/` inside `${…}`).
    pub(super) fn word_until(&mut self, extra: &[char]) -> Result<Word, ScriptError> {
        self.enter()?;
        let in_param = !extra.is_empty();
        let mut word = Word::default();
        let mut literal = String::new();
        fn flush(word: &mut Word, literal: &mut String) {
            if !literal.is_empty() {
                word.parts.push(WordPart::Literal { text: std::mem::take(literal), quoted: false });
            }
        }
        loop {
            let position = self.position();
            let Some(c) = self.peek() else { break };
            if extra.contains(&c) {
                break;
            }
            match c {
                ' ' | '\t' | '\r' | '\n' if !in_param => break,
                ';' | '&' | '|' | '<' | '>' | '(' | ')' if !in_param => break,
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some('\r') if self.peek() == Some('\n') => {
                            self.bump();
                        }
                        Some(c) => {
                            flush(&mut word, &mut literal);
                            word.parts.push(WordPart::Literal { text: c.to_string(), quoted: true });
                        }
                        None => return Err(self.error(position, "a backslash ends the script")),
                    }
                }
                '\'' => {
                    flush(&mut word, &mut literal);
                    self.bump();
                    let text = self.single_quoted(position)?;
                    word.parts.push(WordPart::Literal { text, quoted: true });
                }
                '"' => {
                    flush(&mut word, &mut literal);
                    self.bump();
                    let inner = self.quoted_text(Some(position))?;
                    word.parts.extend(inner.parts);
                }
                '`' => {
                    flush(&mut word, &mut literal);
                    word.parts.push(self.backquoted(false)?);
                }
                '$' if self.peek_at(1) == Some('\'') => {
                    flush(&mut word, &mut literal);
                    self.bump_n(2);
                    let text = self.ansi_c_quoted(position)?;
                    word.parts.push(WordPart::Literal { text, quoted: true });
                }
                '$' => match self.dollar(false)? {
                    Some(part) => {
                        flush(&mut word, &mut literal);
                        word.parts.push(part);
                    }
                    None => {
                        self.bump();
                        literal.push('$');
                    }
                },
                c => {
                    self.bump();
                    literal.push(c);
                }
            }
        }
        flush(&mut word, &mut literal);
        self.depth -= 1;
        Ok(word)
    }

    pub(super) fn single_quoted(&mut self, open: Position) -> Result<String, ScriptError> {
        let mut text = String::new();
        loop {
            match self.bump() {
                Some('\'') => return Ok(text),
                Some(c) => text.push(c),
                None => return Err(self.error(open, "unterminated single quote")),
            }
        }
    }

    pub(super) fn ansi_c_quoted(&mut self, open: Position) -> Result<String, ScriptError> {
        let mut text = String::new();
        loop {
            match self.bump() {
                Some('\'') => return Ok(text),
                Some('\\') => match self.bump() {
                    Some('n') => text.push('\n'),
                    Some('t') => text.push('\t'),
                    Some('r') => text.push('\r'),
                    Some('e') => text.push('\u{1b}'),
                    Some('0') => text.push('\0'),
                    Some(c @ ('\\' | '\'' | '"' | '?')) => text.push(c),
                    Some(c) => {
                        text.push('\\');
                        text.push(c);
                    }
                    None => return Err(self.error(open, "unterminated $'…'")),
                },
                Some(c) => text.push(c),
                None => return Err(self.error(open, "unterminated $'…'")),
            }
        }
    }

    /// The inside of `"…"` (`open` is the quote's position) or, with `None`, a whole
    /// here-document body; every piece is quoted.
    pub(super) fn quoted_text(&mut self, open: Option<Position>) -> Result<Word, ScriptError> {
        self.enter()?;
        let mut word = Word::default();
        let mut text = String::new();
        let mut pushed_any = false;
        loop {
            let position = self.position();
            match self.peek() {
                None => match open {
                    Some(open) => return Err(self.error(open, "unterminated double quote")),
                    None => break,
                },
                Some('"') if open.is_some() => {
                    self.bump();
                    break;
                }
                Some('\\') => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(c @ ('$' | '`' | '\\')) => text.push(c),
                        Some('"') if open.is_some() => text.push('"'),
                        Some(c) => {
                            text.push('\\');
                            text.push(c);
                        }
                        None => match open {
                            Some(open) => return Err(self.error(open, "unterminated double quote")),
                            None => text.push('\\'),
                        },
                    }
                }
                Some('`') => {
                    if !text.is_empty() {
                        word.parts.push(WordPart::Literal { text: std::mem::take(&mut text), quoted: true });
                    }
                    word.parts.push(self.backquoted(true)?);
                    pushed_any = true;
                }
                Some('$') => match self.dollar(true)? {
                    Some(part) => {
                        if !text.is_empty() {
                            word.parts
                                .push(WordPart::Literal { text: std::mem::take(&mut text), quoted: true });
                        }
                        word.parts.push(part);
                        pushed_any = true;
                    }
                    None => {
                        self.bump();
                        text.push('$');
                    }
                },
                Some(c) => {
                    let _ = position;
                    self.bump();
                    text.push(c);
                }
            }
        }
        if !text.is_empty() || !pushed_any {
            word.parts.push(WordPart::Literal { text, quoted: true });
        }
        self.depth -= 1;
        Ok(word)
    }

    /// `` `…` ``: the text up to the closing backquote, parsed as a script.
    pub(super) fn backquoted(&mut self, quoted: bool) -> Result<WordPart, ScriptError> {
        let open = self.position();
        self.bump();
        let start = self.position();
        let mut text = String::new();
        loop {
            match self.bump() {
                Some('`') => break,
                Some('\\') => match self.bump() {
                    Some(c @ ('`' | '\\' | '$')) => text.push(c),
                    Some(c) => {
                        text.push('\\');
                        text.push(c);
                    }
                    None => return Err(self.error(open, "unterminated backquote")),
                },
                Some(c) => text.push(c),
                None => return Err(self.error(open, "unterminated backquote")),
            }
        }
        let mut inner = Parser::new(&text, start);
        inner.depth = self.depth + 1;
        let items = inner.list(&[], false)?;
        if let Some(c) = inner.peek() {
            return Err(inner.error(inner.position(), format!("unexpected '{c}'")));
        }
        inner.finish_heredocs()?;
        self.command_names.append(&mut inner.command_names);
        self.functions.append(&mut inner.functions);
        Ok(WordPart::CommandSubstitution { script: Script { items: Rc::new(items) }, quoted })
    }

    /// `$((` already consumed up to the expression: its text up to the matching `))`.
    pub(super) fn arithmetic_text(&mut self, open: Position) -> Result<Word, ScriptError> {
        let mut depth = 0usize;
        let start = self.position();
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error(open, "unterminated '((' (missing '))')")),
                Some(')') if depth == 0 => {
                    if self.peek_at(1) == Some(')') {
                        self.bump_n(2);
                        break;
                    }
                    return Err(self.error(open, "unterminated '((' (missing '))')"));
                }
                Some(c) => {
                    if c == '(' {
                        depth += 1;
                    } else if c == ')' {
                        depth -= 1;
                    }
                    self.bump();
                    text.push(c);
                }
            }
        }
        let mut inner = Parser::new(&text, start);
        inner.depth = self.depth + 1;
        let word = inner.quoted_text(None)?;
        self.command_names.append(&mut inner.command_names);
        Ok(word)
    }

    /// `$NAME`, `$1`, `$?`, `${…}`, `$(…)` or `$((…))` at the current `$`; `None` when the `$`
    /// is literal.
    pub(super) fn dollar(&mut self, quoted: bool) -> Result<Option<WordPart>, ScriptError> {
        let position = self.position();
        let plain = |name: String| WordPart::Param { name, op: Box::new(ParamOp::Plain), quoted };
        match self.peek_at(1) {
            Some(c @ ('?' | '#' | '@' | '*' | '$' | '!' | '-' | '0'..='9')) => {
                self.bump_n(2);
                Ok(Some(plain(c.to_string())))
            }
            Some(c) if is_name_start(c) => {
                self.bump();
                let mut name = String::new();
                while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
                    self.bump();
                    name.push(c);
                }
                Ok(Some(plain(name)))
            }
            Some('{') => {
                self.bump_n(2);
                self.braced(position, quoted).map(Some)
            }
            Some('(') if self.peek_at(2) == Some('(') => {
                self.bump_n(3);
                let expression = self.arithmetic_text(position)?;
                Ok(Some(WordPart::Arithmetic { expression, quoted }))
            }
            Some('(') => {
                self.bump_n(2);
                let items = self.list(&[], true)?;
                self.skip_newlines()?;
                if self.bump() != Some(')') {
                    return Err(self.error(position, "unterminated $( (missing ')')"));
                }
                if items.is_empty() {
                    return Err(self.error(position, "empty command substitution $()"));
                }
                Ok(Some(WordPart::CommandSubstitution { script: Script { items: Rc::new(items) }, quoted }))
            }
            _ => Ok(None),
        }
    }

    /// The inside of `${…}` after the brace.
    pub(super) fn braced(&mut self, open: Position, quoted: bool) -> Result<WordPart, ScriptError> {
        let unterminated = |p: &Parser| p.error(open, "unterminated ${");
        let mut length = false;
        if self.peek() == Some('#') && !matches!(self.peek_at(1), Some('}') | None) {
            self.bump();
            length = true;
        }
        let mut name = String::new();
        match self.peek() {
            Some(c @ ('?' | '#' | '@' | '*' | '$' | '!' | '-')) => {
                self.bump();
                name.push(c);
            }
            Some(c) if c.is_ascii_digit() => {
                while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                    self.bump();
                    name.push(c);
                }
            }
            _ => {
                while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
                    self.bump();
                    name.push(c);
                }
            }
        }
        if name.is_empty() || (name.starts_with(|c: char| c.is_ascii_alphabetic()) && !is_name(&name)) {
            let rest: String = self.chars[self.index..].iter().take_while(|c| **c != '}').collect();
            return Err(self.error(open, format!("bad substitution '${{{name}{rest}}}'")));
        }
        let Some(next) = self.peek() else { return Err(unterminated(self)) };
        if length {
            if next != '}' {
                return Err(self.error(open, "bad substitution: ${#NAME} takes no operator"));
            }
            self.bump();
            return Ok(WordPart::Param { name, op: Box::new(ParamOp::Length), quoted });
        }
        let op = match next {
            '}' => {
                self.bump();
                return Ok(WordPart::Param { name, op: Box::new(ParamOp::Plain), quoted });
            }
            '[' => return Err(self.error(open, "arrays ('${NAME[…]}') are not supported")),
            ':' | '-' | '=' | '?' | '+' => {
                let colon = next == ':';
                if colon {
                    self.bump();
                }
                match self.peek() {
                    Some(c @ ('-' | '=' | '?' | '+')) => {
                        self.bump();
                        let word = self.param_word(quoted, &['}'])?;
                        match c {
                            '-' => ParamOp::Default { colon, word },
                            '=' => ParamOp::Assign { colon, word },
                            '?' => ParamOp::Error { colon, word },
                            _ => ParamOp::Alternative { colon, word },
                        }
                    }
                    _ if colon => {
                        let offset = self.param_word(true, &['}', ':'])?;
                        let length = if self.peek() == Some(':') {
                            self.bump();
                            Some(self.param_word(true, &['}'])?)
                        } else {
                            None
                        };
                        ParamOp::Substring { offset, length }
                    }
                    _ => return Err(unterminated(self)),
                }
            }
            '#' | '%' => {
                self.bump();
                let longest = self.peek() == Some(next);
                if longest {
                    self.bump();
                }
                let pattern = self.param_word(quoted, &['}'])?;
                if next == '#' {
                    ParamOp::RemovePrefix { longest, pattern }
                } else {
                    ParamOp::RemoveSuffix { longest, pattern }
                }
            }
            '/' => {
                self.bump();
                let mode = match self.peek() {
                    Some('/') => ReplaceMode::All,
                    Some('#') => ReplaceMode::Prefix,
                    Some('%') => ReplaceMode::Suffix,
                    _ => ReplaceMode::First,
                };
                if mode != ReplaceMode::First {
                    self.bump();
                }
                let pattern = self.param_word(quoted, &['}', '/'])?;
                let replacement = if self.peek() == Some('/') {
                    self.bump();
                    self.param_word(quoted, &['}'])?
                } else {
                    Word::default()
                };
                ParamOp::Replace { mode, pattern, replacement }
            }
            '^' | ',' => {
                self.bump();
                let all = self.peek() == Some(next);
                if all {
                    self.bump();
                }
                ParamOp::Case { upper: next == '^', all }
            }
            _ => {
                let rest: String = self.chars[self.index..].iter().take_while(|c| **c != '}').collect();
                return Err(self.error(open, format!("bad substitution '${{{name}{rest}}}'")));
            }
        };
        if self.bump() != Some('}') {
            return Err(unterminated(self));
        }
        Ok(WordPart::Param { name, op: Box::new(op), quoted })
    }

    /// The operand of a `${NAME op word}`, up to one of `stops`.
    pub(super) fn param_word(&mut self, quoted: bool, stops: &[char]) -> Result<Word, ScriptError> {
        let mut word = self.word_until(stops)?;
        if self.peek().is_none() {
            return Err(self.error(self.position(), "unterminated ${"));
        }
        if quoted {
            for part in &mut word.parts {
                match part {
                    WordPart::Literal { quoted, .. }
                    | WordPart::Param { quoted, .. }
                    | WordPart::CommandSubstitution { quoted, .. }
                    | WordPart::Arithmetic { quoted, .. } => *quoted = true,
                }
            }
        }
        Ok(word)
    }
}
