//! The parser's reading position over the script's characters: line and column for every error,
//! blanks, comments and line continuations, the nesting limit, and here-document bodies, which
//! are read after the line that announced them. Kept apart so that the grammar above it never
//! counts columns or newlines itself.

use super::{Position, ScriptError, Word, WordPart};
use std::cell::OnceCell;
use std::rc::Rc;

pub(super) struct PendingHereDoc {
    pub(super) delimiter: String,
    pub(super) strip_tabs: bool,
    pub(super) quoted: bool,
    pub(super) body: Rc<OnceCell<Word>>,
    pub(super) position: Position,
}

pub(super) struct Parser {
    pub(super) chars: Vec<char>,
    pub(super) index: usize,
    pub(super) line: usize,
    pub(super) column: usize,
    pub(super) heredocs: Vec<PendingHereDoc>,
    pub(super) command_names: Vec<(String, Position)>,
    pub(super) functions: Vec<String>,
    pub(super) depth: usize,
}

/// Nesting beyond this is refused (a fuzzer's `$($($(…` must not overflow the stack).
pub(super) const MAX_DEPTH: usize = 64;

impl Parser {
    pub(super) fn new(text: &str, start: Position) -> Self {
        Parser {
            chars: text.chars().collect(),
            index: 0,
            line: start.line,
            column: start.column,
            heredocs: Vec::new(),
            command_names: Vec::new(),
            functions: Vec::new(),
            depth: 0,
        }
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.index).copied()
    }

    pub(super) fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.index + offset).copied()
    }

    pub(super) fn looking_at(&self, text: &str) -> bool {
        text.chars().enumerate().all(|(i, c)| self.peek_at(i) == Some(c))
    }

    pub(super) fn position(&self) -> Position {
        Position { line: self.line, column: self.column }
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.index += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    pub(super) fn bump_n(&mut self, n: usize) {
        for _ in 0..n {
            self.bump();
        }
    }

    pub(super) fn error(&self, position: Position, message: impl Into<String>) -> ScriptError {
        ScriptError { position, message: message.into() }
    }

    pub(super) fn enter(&mut self) -> Result<(), ScriptError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(self.position(), "nesting too deep"));
        }
        Ok(())
    }

    /// Skips blanks, `\`-newline continuations and a comment.
    pub(super) fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r') => {
                    self.bump();
                }
                Some('\\') if self.peek_at(1) == Some('\n') => self.bump_n(2),
                Some('\\') if self.peek_at(1) == Some('\r') && self.peek_at(2) == Some('\n') => {
                    self.bump_n(3)
                }
                Some('#') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                }
                _ => return,
            }
        }
    }

    /// Consumes a newline, then the bodies of the here-documents begun on its line.
    pub(super) fn newline(&mut self) -> Result<(), ScriptError> {
        self.bump();
        let pending = std::mem::take(&mut self.heredocs);
        for heredoc in pending {
            self.heredoc_body(heredoc)?;
        }
        Ok(())
    }

    pub(super) fn skip_newlines(&mut self) -> Result<(), ScriptError> {
        loop {
            self.skip_blanks();
            if self.peek() == Some('\n') {
                self.newline()?;
            } else {
                return Ok(());
            }
        }
    }

    pub(super) fn finish_heredocs(&mut self) -> Result<(), ScriptError> {
        let pending = std::mem::take(&mut self.heredocs);
        for heredoc in pending {
            self.heredoc_body(heredoc)?;
        }
        Ok(())
    }

    pub(super) fn heredoc_body(&mut self, heredoc: PendingHereDoc) -> Result<(), ScriptError> {
        let start = self.position();
        let mut body = String::new();
        loop {
            if self.peek().is_none() {
                // bash warns and takes what is there; so do we.
                break;
            }
            let mut line = String::new();
            while let Some(c) = self.peek() {
                self.bump();
                if c == '\n' {
                    break;
                }
                line.push(c);
            }
            let line = line.strip_suffix('\r').unwrap_or(&line).to_string();
            let line = if heredoc.strip_tabs { line.trim_start_matches('\t').to_string() } else { line };
            if line == heredoc.delimiter {
                break;
            }
            body.push_str(&line);
            body.push('\n');
        }
        let word = if heredoc.quoted {
            Word { parts: vec![WordPart::Literal { text: body, quoted: true }] }
        } else {
            let mut inner = Parser::new(&body, start);
            inner.depth = self.depth;
            let word = inner.quoted_text(None)?;
            self.command_names.append(&mut inner.command_names);
            word
        };
        let _ = heredoc.position;
        let _ = heredoc.body.set(word);
        Ok(())
    }
}
