//! The command grammar: lists, and-or chains, pipelines, the compound commands (`if`, `while`,
//! `for`, `case`, groups, subshells, functions, `[[ … ]]`, `(( … ))`), simple commands,
//! assignments and redirections. Separate from words because a reader looking for what the shell
//! accepts as a command reads this file and nothing of quoting.

use super::cursor::{Parser, PendingHereDoc};
use super::{
    is_name, is_name_char, is_name_start, AndOr, CaseArm, CaseEnd, Command, Compound, Connector, List,
    Pipeline, Position, Redirect, RedirectKind, ScriptError, SimpleCommand, TestToken, Word,
};
use std::cell::OnceCell;
use std::rc::Rc;

pub(super) const RESERVED_STOPS: &[&str] = &["then", "elif", "else", "fi", "do", "done", "esac", "}"];

impl Parser {
    /// A list of and-or items up to a reserved word in `stops`, a `)` (when `paren`), `;;` or the end.
    pub(super) fn list(&mut self, stops: &[&str], paren: bool) -> Result<Vec<AndOr>, ScriptError> {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            self.skip_blanks();
            match self.peek() {
                None => break,
                Some('\n') => {
                    self.newline()?;
                    continue;
                }
                Some(';') if matches!(self.peek_at(1), Some(';' | '&')) => break,
                Some(';') => {
                    if items.is_empty() {
                        return Err(self.error(self.position(), "unexpected ';'"));
                    }
                    self.bump();
                    continue;
                }
                Some(')') if paren => break,
                Some(')') => return Err(self.error(self.position(), "unexpected ')'")),
                Some(_) => {}
            }
            if let Some(word) = self.peek_reserved() {
                if stops.contains(&word.as_str()) {
                    break;
                }
                if RESERVED_STOPS.contains(&word.as_str()) {
                    return Err(self.error(self.position(), format!("unexpected '{word}'")));
                }
            }
            items.push(self.and_or()?);
            self.skip_blanks();
            match self.peek() {
                Some('&') if self.peek_at(1) != Some('&') => {
                    return Err(self.error(self.position(), "background jobs ('&') are not supported"))
                }
                Some(';') if !matches!(self.peek_at(1), Some(';' | '&')) => {
                    self.bump();
                }
                _ => {}
            }
        }
        self.depth -= 1;
        Ok(items)
    }

    /// The unquoted word at the current position, if it could be a reserved word.
    pub(super) fn peek_reserved(&self) -> Option<String> {
        let mut word = String::new();
        let mut offset = 0;
        while let Some(c) = self.peek_at(offset) {
            if c.is_ascii_alphanumeric() || c == '_' || c == '{' || c == '}' || c == '!' || c == '[' {
                word.push(c);
                offset += 1;
            } else {
                break;
            }
        }
        match self.peek_at(offset) {
            None | Some(' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | ')' | '(' | '<' | '>') => {}
            _ => return None,
        }
        (!word.is_empty()).then_some(word)
    }

    pub(super) fn keyword(&mut self, word: &str) -> Result<(), ScriptError> {
        self.skip_newlines()?;
        if self.peek_reserved().as_deref() == Some(word) {
            self.bump_n(word.chars().count());
            Ok(())
        } else {
            let found = self
                .peek_reserved()
                .unwrap_or_else(|| self.peek().map_or("end of script".into(), String::from));
            Err(self.error(self.position(), format!("expected '{word}', found '{found}'")))
        }
    }

    pub(super) fn and_or(&mut self) -> Result<AndOr, ScriptError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            self.skip_blanks();
            let connector = if self.looking_at("&&") {
                Connector::And
            } else if self.looking_at("||") {
                Connector::Or
            } else {
                break;
            };
            self.bump_n(2);
            self.skip_newlines()?;
            rest.push((connector, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    pub(super) fn pipeline(&mut self) -> Result<Pipeline, ScriptError> {
        self.skip_blanks();
        let position = self.position();
        let start = self.index;
        let mut negated = false;
        if self.peek_reserved().as_deref() == Some("!") {
            self.bump();
            negated = true;
            self.skip_blanks();
        }
        let mut commands = vec![self.command()?];
        loop {
            self.skip_blanks();
            if self.looking_at("|&") {
                return Err(self.error(self.position(), "'|&' is not supported; use 2>&1 |"));
            }
            if self.peek() == Some('|') && self.peek_at(1) != Some('|') {
                self.bump();
                self.skip_newlines()?;
                commands.push(self.command()?);
            } else {
                break;
            }
        }
        let source: String = self.chars[start..self.index].iter().collect();
        Ok(Pipeline { position, source: source.trim_end().to_string(), negated, commands })
    }

    pub(super) fn command(&mut self) -> Result<Command, ScriptError> {
        self.skip_blanks();
        let position = self.position();
        if self.looking_at("((") {
            self.bump_n(2);
            let expression = self.arithmetic_text(position)?;
            let redirects = self.redirects()?;
            return Ok(Command::Compound(Rc::new(Compound::Arithmetic(expression)), redirects));
        }
        if self.peek() == Some('(') {
            self.bump();
            let body = self.list(&[], true)?;
            self.skip_newlines()?;
            if self.bump() != Some(')') {
                return Err(self.error(position, "unterminated '(' (missing ')')"));
            }
            let redirects = self.redirects()?;
            return Ok(Command::Compound(Rc::new(Compound::Subshell(Rc::new(body))), redirects));
        }
        if let Some(word) = self.peek_reserved() {
            let compound = match word.as_str() {
                "if" | "while" | "until" | "for" | "case" | "{" | "[[" => {
                    Some(self.compound(&word, position)?)
                }
                "function" => {
                    self.bump_n(8);
                    self.skip_blanks();
                    let name = self.name_word(position)?;
                    self.skip_blanks();
                    if self.looking_at("()") {
                        self.bump_n(2);
                    }
                    return self.function_body(name, position);
                }
                "select" | "coproc" | "time" | "declare" | "typeset" | "eval" | "source" | "trap" => {
                    return Err(self.error(position, format!("'{word}' is not supported")))
                }
                _ => None,
            };
            if let Some(compound) = compound {
                let redirects = self.redirects()?;
                return Ok(Command::Compound(Rc::new(compound), redirects));
            }
            // `name ()` defines a function.
            if is_name(&word) {
                let save = (self.index, self.line, self.column);
                self.bump_n(word.chars().count());
                self.skip_blanks();
                if self.looking_at("()") || self.looking_at("( )") {
                    while self.peek() != Some(')') {
                        self.bump();
                    }
                    self.bump();
                    return self.function_body(word, position);
                }
                (self.index, self.line, self.column) = save;
            }
        }
        self.simple_command()
    }

    pub(super) fn name_word(&mut self, position: Position) -> Result<String, ScriptError> {
        let mut name = String::new();
        while let Some(c) = self.peek().filter(|c| is_name_char(*c) || *c == '-') {
            self.bump();
            name.push(c);
        }
        if name.is_empty() {
            return Err(self.error(position, "a function needs a name"));
        }
        Ok(name)
    }

    pub(super) fn function_body(&mut self, name: String, position: Position) -> Result<Command, ScriptError> {
        self.skip_newlines()?;
        let at = self.position();
        let word = self.peek_reserved();
        let body = match word.as_deref() {
            Some(w @ ("{" | "if" | "while" | "until" | "for" | "case" | "[[")) => self.compound(w, at)?,
            _ if self.peek() == Some('(') => {
                self.bump();
                let body = self.list(&[], true)?;
                if self.bump() != Some(')') {
                    return Err(self.error(at, "unterminated '(' (missing ')')"));
                }
                Compound::Subshell(Rc::new(body))
            }
            _ => return Err(self.error(position, format!("function '{name}' needs a body in {{ … }}"))),
        };
        self.functions.push(name.clone());
        Ok(Command::Function { name, body: Rc::new(body) })
    }

    pub(super) fn compound(&mut self, word: &str, position: Position) -> Result<Compound, ScriptError> {
        self.bump_n(word.chars().count());
        match word {
            "{" => {
                let body = self.list(&["}"], false)?;
                self.keyword("}")?;
                Ok(Compound::Brace(Rc::new(body)))
            }
            "if" => {
                let mut branches = Vec::new();
                let mut otherwise = None;
                loop {
                    let condition = self.list(&["then"], false)?;
                    self.keyword("then")?;
                    let body = self.list(&["elif", "else", "fi"], false)?;
                    branches.push((Rc::new(condition), Rc::new(body)));
                    self.skip_newlines()?;
                    match self.peek_reserved().as_deref() {
                        Some("elif") => self.bump_n(4),
                        Some("else") => {
                            self.bump_n(4);
                            otherwise = Some(Rc::new(self.list(&["fi"], false)?));
                            self.keyword("fi")?;
                            break;
                        }
                        _ => {
                            self.keyword("fi")?;
                            break;
                        }
                    }
                }
                Ok(Compound::If { branches, otherwise })
            }
            "while" | "until" => {
                let condition = self.list(&["do"], false)?;
                let body = self.do_group()?;
                Ok(Compound::While { until: word == "until", condition: Rc::new(condition), body })
            }
            "for" => {
                self.skip_blanks();
                if self.looking_at("((") {
                    return Err(
                        self.error(position, "C-style 'for ((…))' is not supported; use for NAME in …")
                    );
                }
                let at = self.position();
                let mut variable = String::new();
                while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
                    self.bump();
                    variable.push(c);
                }
                if !is_name(&variable) {
                    return Err(self.error(at, "'for' needs a variable name"));
                }
                self.skip_newlines()?;
                let mut words = None;
                if self.peek_reserved().as_deref() == Some("in") {
                    self.bump_n(2);
                    let mut list = Vec::new();
                    loop {
                        self.skip_blanks();
                        match self.peek() {
                            None | Some('\n' | ';') => break,
                            _ => list.push(self.word_progressing("in a 'for' list")?),
                        }
                    }
                    words = Some(list);
                }
                self.skip_blanks();
                if self.peek() == Some(';') {
                    self.bump();
                }
                let body = self.do_group()?;
                Ok(Compound::For { variable, words, body })
            }
            "case" => self.case(),
            "[[" => self.double_bracket(position),
            _ => Err(self.error(position, format!("unexpected '{word}'"))),
        }
    }

    pub(super) fn do_group(&mut self) -> Result<List, ScriptError> {
        self.keyword("do")?;
        let body = self.list(&["done"], false)?;
        self.keyword("done")?;
        Ok(Rc::new(body))
    }

    pub(super) fn case(&mut self) -> Result<Compound, ScriptError> {
        self.skip_blanks();
        let start = self.index;
        let word = self.word()?;
        let raw: String = self.chars[start..self.index].iter().collect();
        self.keyword("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_reserved().as_deref() == Some("esac") {
                self.bump_n(4);
                break;
            }
            if self.peek().is_none() {
                return Err(self.error(self.position(), "expected 'esac'"));
            }
            if self.peek() == Some('(') {
                self.bump();
            }
            let mut patterns = Vec::new();
            loop {
                self.skip_blanks();
                patterns.push(self.word()?);
                self.skip_blanks();
                match self.bump() {
                    Some('|') => continue,
                    Some(')') => break,
                    _ => return Err(self.error(self.position(), "expected ')' after a case pattern")),
                }
            }
            let body = self.list(&["esac"], false)?;
            self.skip_newlines()?;
            let end = if self.looking_at(";;&") {
                self.bump_n(3);
                CaseEnd::TestNext
            } else if self.looking_at(";;") {
                self.bump_n(2);
                CaseEnd::Stop
            } else if self.looking_at(";&") {
                self.bump_n(2);
                CaseEnd::FallThrough
            } else {
                CaseEnd::Stop
            };
            arms.push(CaseArm { patterns, body: Rc::new(body), end });
        }
        Ok(Compound::Case { word, raw, arms })
    }

    pub(super) fn double_bracket(&mut self, position: Position) -> Result<Compound, ScriptError> {
        let mut tokens = Vec::new();
        loop {
            self.skip_blanks();
            if self.peek() == Some('\n') {
                self.newline()?;
                continue;
            }
            let at = self.position();
            let op: Option<(&'static str, usize)> = if self.looking_at("&&") {
                Some(("&&", 2))
            } else if self.looking_at("||") {
                Some(("||", 2))
            } else {
                match self.peek() {
                    None => return Err(self.error(position, "unterminated '[[' (missing ']]')")),
                    Some('(') => Some(("(", 1)),
                    Some(')') => Some((")", 1)),
                    Some('<') => Some(("<", 1)),
                    Some('>') => Some((">", 1)),
                    _ => None,
                }
            };
            if let Some((op, len)) = op {
                self.bump_n(len);
                tokens.push(TestToken::Operator(op));
                continue;
            }
            let word = self.word_progressing("inside [[ ]]")?;
            match word.bare() {
                Some("]]") => break,
                Some("!") => tokens.push(TestToken::Operator("!")),
                Some("=~") => {
                    return Err(self.error(at, "'=~' (regular expressions) is not supported in [[ ]]"))
                }
                _ => tokens.push(TestToken::Word(word)),
            }
        }
        Ok(Compound::DoubleBracket(tokens))
    }

    pub(super) fn simple_command(&mut self) -> Result<Command, ScriptError> {
        let mut command = SimpleCommand { assignments: Vec::new(), words: Vec::new(), redirects: Vec::new() };
        let position = self.position();
        loop {
            self.skip_blanks();
            match self.peek() {
                Some('&') if self.peek_at(1) == Some('>') => {}
                None | Some('\n' | ';' | '&' | '|' | ')') => break,
                Some('(') => {
                    let what = if command.words.is_empty() && !command.assignments.is_empty() {
                        "arrays ('NAME=(…)') are not supported"
                    } else {
                        "unexpected '('"
                    };
                    return Err(self.error(self.position(), what));
                }
                _ => {}
            }
            if let Some(redirect) = self.redirect()? {
                command.redirects.push(redirect);
                continue;
            }
            if command.words.is_empty() {
                if let Some(name) = self.assignment_name() {
                    self.bump_n(name.chars().count() + 1);
                    if self.peek() == Some('(') {
                        return Err(self.error(self.position(), "arrays ('NAME=(…)') are not supported"));
                    }
                    let value = self.word()?;
                    command.assignments.push((name, value));
                    continue;
                }
            }
            let at = self.position();
            let word = self.word()?;
            if command.words.is_empty() {
                if let Some(name) = word.as_literal() {
                    self.command_names.push((name, at));
                }
            }
            command.words.push(word);
        }
        if command.words.is_empty() && command.assignments.is_empty() && command.redirects.is_empty() {
            let found = self.peek().map_or("end of script".to_string(), |c| format!("'{c}'"));
            return Err(self.error(position, format!("expected a command, found {found}")));
        }
        Ok(Command::Simple(command))
    }

    pub(super) fn redirects(&mut self) -> Result<Vec<Redirect>, ScriptError> {
        let mut redirects = Vec::new();
        loop {
            self.skip_blanks();
            match self.redirect()? {
                Some(r) => redirects.push(r),
                None => return Ok(redirects),
            }
        }
    }

    /// A redirection at the current position, if any.
    pub(super) fn redirect(&mut self) -> Result<Option<Redirect>, ScriptError> {
        let position = self.position();
        let mut offset = 0;
        let mut digits = String::new();
        while let Some(c) = self.peek_at(offset).filter(char::is_ascii_digit) {
            digits.push(c);
            offset += 1;
        }
        let op_at = offset;
        let rest: String = (0..3).filter_map(|i| self.peek_at(op_at + i)).collect();
        if digits.is_empty() && (rest.starts_with("&>") || rest.starts_with("&>>")) {
            let append = rest.starts_with("&>>");
            self.bump_n(if append { 3 } else { 2 });
            let target = self.redirect_target(position)?;
            return Ok(Some(Redirect { fd: 1, kind: RedirectKind::Both { append, target } }));
        }
        if !rest.starts_with(['<', '>']) {
            return Ok(None);
        }
        if rest.starts_with("<(") || rest.starts_with(">(") {
            return Err(self.error(position, "process substitution ('<(…)', '>(…)') is not supported"));
        }
        let fd: u32 = match digits.parse() {
            Ok(fd) if fd <= 9 => fd,
            Ok(_) => return Err(self.error(position, "file descriptors above 9 are not supported")),
            Err(_) => u32::from(rest.starts_with('>')),
        };
        self.bump_n(digits.chars().count());
        let kind = if rest.starts_with("<<<") {
            self.bump_n(3);
            self.skip_blanks();
            RedirectKind::HereString { word: self.word()? }
        } else if rest.starts_with("<<") {
            self.bump_n(2);
            let strip_tabs = self.peek() == Some('-');
            if strip_tabs {
                self.bump();
            }
            self.skip_blanks();
            let start = self.index;
            let word = self.word()?;
            let raw: String = self.chars[start..self.index].iter().collect();
            let quoted = raw.contains(['\'', '"', '\\']);
            let Some(delimiter) = word.as_literal().filter(|d| !d.is_empty()) else {
                return Err(self.error(position, "a here-document needs a plain delimiter word"));
            };
            let body = Rc::new(OnceCell::new());
            self.heredocs.push(PendingHereDoc {
                delimiter,
                strip_tabs,
                quoted,
                body: body.clone(),
                position,
            });
            RedirectKind::HereDoc { body }
        } else if rest.starts_with("<>") {
            return Err(self.error(position, "'<>' is not supported"));
        } else if rest.starts_with("<&") || rest.starts_with(">&") {
            self.bump_n(2);
            let mut target = String::new();
            while let Some(c) = self.peek().filter(|c| c.is_ascii_digit() || *c == '-') {
                self.bump();
                target.push(c);
            }
            match target.parse::<u32>() {
                Ok(to @ 0..=2) => RedirectKind::Duplicate { to },
                _ if rest.starts_with(">&") && target.is_empty() && fd == 1 => {
                    // `>& file` is `&> file`.
                    let target = self.redirect_target(position)?;
                    RedirectKind::Both { append: false, target }
                }
                _ => {
                    return Err(
                        self.error(position, format!("'{rest}{target}': only 0, 1 and 2 can be duplicated"))
                    )
                }
            }
        } else if rest.starts_with(">>") {
            self.bump_n(2);
            RedirectKind::Write { append: true, target: self.redirect_target(position)? }
        } else if rest.starts_with(">|") {
            self.bump_n(2);
            RedirectKind::Write { append: false, target: self.redirect_target(position)? }
        } else if rest.starts_with('>') {
            self.bump();
            RedirectKind::Write { append: false, target: self.redirect_target(position)? }
        } else {
            self.bump();
            RedirectKind::Read { target: self.redirect_target(position)? }
        };
        Ok(Some(Redirect { fd, kind }))
    }

    pub(super) fn redirect_target(&mut self, position: Position) -> Result<Word, ScriptError> {
        self.skip_blanks();
        match self.peek() {
            None | Some('\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')') => {
                Err(self.error(position, "a redirection needs a file name"))
            }
            _ => self.word(),
        }
    }

    /// `NAME=` at the current position, if any.
    pub(super) fn assignment_name(&self) -> Option<String> {
        let first = self.peek()?;
        if !is_name_start(first) {
            return None;
        }
        let mut offset = 0;
        let mut name = String::new();
        while let Some(c) = self.peek_at(offset) {
            if is_name_char(c) {
                name.push(c);
                offset += 1;
            } else {
                break;
            }
        }
        if self.peek_at(offset) == Some('[') {
            return None;
        }
        let plus = self.peek_at(offset) == Some('+') && self.peek_at(offset + 1) == Some('=');
        if plus {
            return None;
        }
        (self.peek_at(offset) == Some('=')).then_some(name)
    }
}
