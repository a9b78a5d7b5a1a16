//! The shell subset the tutorial is written in, parsed into commands before anything runs.
//!
//! Supported: `#` comments, `\` line continuation, `'single'` and `"double"` quotes (glued to
//! unquoted text, as in `'...'$VAR'...'`), `NAME=value`, `$NAME`, `${NAME}`, `$(...)` (nested),
//! `;` and newlines between commands. Anything else that bash would treat as an operator (pipes,
//! redirections, `&&`, backticks, subshells) is a syntax error, and so is a command other than
//! `aws`, `echo`, `sleep`, `sim`, `export` and `set`: the native program exits 2 on a syntax error, so a script
//! is refused as a whole before it changes the simulation, with the line and column to fix.

use std::fmt;

/// Commands the interpreter knows. Anything else is refused while parsing.
pub const SUPPORTED_COMMANDS: &[&str] = &["aws", "echo", "sleep", "sim", "export", "set"];

/// A position in the script text, 1-based, columns counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A syntax error with the place it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    pub position: Position,
    pub message: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}:{}: syntax error: {}", self.position.line, self.position.column, self.message)
    }
}

impl std::error::Error for ScriptError {}

/// One piece of a word. `quoted` pieces are not split into fields after expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordPart {
    Literal { text: String, quoted: bool },
    Variable { name: String, quoted: bool },
    CommandSubstitution { script: Script, quoted: bool },
}

/// A shell word: adjacent pieces with no unquoted blank between them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    pub parts: Vec<WordPart>,
}

impl Word {
    /// The word's text when it contains no expansion.
    pub fn as_literal(&self) -> Option<String> {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                WordPart::Literal { text: piece, .. } => text.push_str(piece),
                _ => return None,
            }
        }
        Some(text)
    }
}

/// One simple command: leading `NAME=value` assignments, then the words of the command (possibly none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub position: Position,
    /// The command as written (continuation lines included), for display next to its output.
    pub source: String,
    pub assignments: Vec<(String, Word)>,
    pub words: Vec<Word>,
}

/// A parsed script: its commands in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    pub commands: Vec<Command>,
}

/// Parses a whole script. Nothing runs until the whole text parses.
pub fn parse_script(text: &str) -> Result<Script, ScriptError> {
    let mut parser = Parser { chars: text.chars().collect(), index: 0, line: 1, column: 1 };
    let script = parser.commands(false)?;
    Ok(script)
}

struct Parser {
    chars: Vec<char>,
    index: usize,
    line: usize,
    column: usize,
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.index).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.index + offset).copied()
    }

    fn position(&self) -> Position {
        Position { line: self.line, column: self.column }
    }

    fn bump(&mut self) -> Option<char> {
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

    fn error(&self, position: Position, message: impl Into<String>) -> ScriptError {
        ScriptError { position, message: message.into() }
    }

    /// Skips blanks and `\`-newline continuations between words.
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r') => {
                    self.bump();
                }
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('\\') if self.peek_at(1) == Some('\r') && self.peek_at(2) == Some('\n') => {
                    self.bump();
                    self.bump();
                    self.bump();
                }
                _ => return,
            }
        }
    }

    /// Parses commands until the end of input, or until the `)` closing a `$(` when `nested`.
    fn commands(&mut self, nested: bool) -> Result<Script, ScriptError> {
        let mut script = Script::default();
        loop {
            self.skip_blanks();
            match self.peek() {
                None => return Ok(script),
                Some('\n' | ';') => {
                    self.bump();
                }
                Some('#') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                }
                Some(')') if nested => return Ok(script),
                Some(_) => {
                    let command = self.command(nested)?;
                    script.commands.push(command);
                }
            }
        }
    }

    fn command(&mut self, nested: bool) -> Result<Command, ScriptError> {
        let position = self.position();
        let start = self.index;
        let mut assignments = Vec::new();
        let mut words = Vec::new();
        loop {
            self.skip_blanks();
            match self.peek() {
                None | Some('\n' | ';') => break,
                Some(')') if nested => break,
                Some('#') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                    break;
                }
                Some(_) => {
                    if words.is_empty() {
                        if let Some(name) = self.assignment_name() {
                            for _ in 0..name.chars().count() + 1 {
                                self.bump();
                            }
                            let value = self.word(nested)?;
                            assignments.push((name, value));
                            continue;
                        }
                    }
                    let word_position = self.position();
                    let word = self.word(nested)?;
                    if words.is_empty() {
                        self.check_command_name(&word, word_position)?;
                    }
                    words.push(word);
                }
            }
        }
        let source: String = self.chars[start..self.index].iter().collect();
        Ok(Command { position, source: source.trim_end().to_string(), assignments, words })
    }

    fn check_command_name(&self, word: &Word, position: Position) -> Result<(), ScriptError> {
        if let Some(name) = word.as_literal() {
            if !SUPPORTED_COMMANDS.contains(&name.as_str()) {
                return Err(self.error(
                    position,
                    format!(
                        "unsupported command '{name}' (this console runs aws, echo, sleep, sim, export, set and NAME=value)"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// `NAME=` at the current position, if any.
    fn assignment_name(&self) -> Option<String> {
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
        (self.peek_at(offset) == Some('=')).then_some(name)
    }

    fn word(&mut self, nested: bool) -> Result<Word, ScriptError> {
        let mut word = Word::default();
        let mut literal = String::new();
        fn flush(word: &mut Word, literal: &mut String) {
            if !literal.is_empty() {
                word.parts.push(WordPart::Literal { text: std::mem::take(literal), quoted: false });
            }
        }
        loop {
            let position = self.position();
            match self.peek() {
                None | Some(' ' | '\t' | '\r' | '\n' | ';') => break,
                Some(')') if nested => break,
                Some('\\') if self.peek_at(1) == Some('\r') && self.peek_at(2) == Some('\n') => {
                    // A continuation in a script saved with Windows line endings.
                    self.bump();
                    self.bump();
                    self.bump();
                }
                Some('\\') => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(c) => {
                            // An escaped character is taken literally and never split.
                            flush(&mut word, &mut literal);
                            word.parts.push(WordPart::Literal { text: c.to_string(), quoted: true });
                        }
                        None => return Err(self.error(position, "a backslash ends the script")),
                    }
                }
                Some('\'') => {
                    flush(&mut word, &mut literal);
                    self.bump();
                    let mut text = String::new();
                    loop {
                        match self.bump() {
                            Some('\'') => break,
                            Some(c) => text.push(c),
                            None => return Err(self.error(position, "unterminated single quote")),
                        }
                    }
                    word.parts.push(WordPart::Literal { text, quoted: true });
                }
                Some('"') => {
                    flush(&mut word, &mut literal);
                    self.bump();
                    self.double_quoted(&mut word, position)?;
                }
                Some('$') => {
                    if let Some(part) = self.dollar(false)? {
                        flush(&mut word, &mut literal);
                        word.parts.push(part);
                    } else {
                        self.bump();
                        literal.push('$');
                    }
                }
                Some(c @ ('|' | '&' | '<' | '>' | '`' | '(' | ')')) => {
                    let what = match c {
                        '|' => "pipes ('|') are not supported",
                        '&' => "'&' (background jobs, '&&') is not supported",
                        '<' | '>' => "redirections are not supported",
                        '`' => "backquotes are not supported; use $(...)",
                        _ => "subshells and parentheses are not supported",
                    };
                    return Err(self.error(position, what));
                }
                Some(c) => {
                    self.bump();
                    literal.push(c);
                }
            }
        }
        flush(&mut word, &mut literal);
        Ok(word)
    }

    fn double_quoted(&mut self, word: &mut Word, open: Position) -> Result<(), ScriptError> {
        let mut text = String::new();
        // `""` must still produce a (possibly empty) quoted piece.
        let mut pushed_any = false;
        loop {
            let position = self.position();
            match self.peek() {
                None => return Err(self.error(open, "unterminated double quote")),
                Some('"') => {
                    self.bump();
                    break;
                }
                Some('\\') => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(c @ ('$' | '`' | '"' | '\\')) => text.push(c),
                        Some(c) => {
                            text.push('\\');
                            text.push(c);
                        }
                        None => return Err(self.error(open, "unterminated double quote")),
                    }
                }
                Some('`') => return Err(self.error(position, "backquotes are not supported; use $(...)")),
                Some('$') => {
                    if let Some(part) = self.dollar(true)? {
                        if !text.is_empty() {
                            word.parts
                                .push(WordPart::Literal { text: std::mem::take(&mut text), quoted: true });
                        }
                        word.parts.push(part);
                        pushed_any = true;
                    } else {
                        self.bump();
                        text.push('$');
                    }
                }
                Some(c) => {
                    self.bump();
                    text.push(c);
                }
            }
        }
        if !text.is_empty() || !pushed_any {
            word.parts.push(WordPart::Literal { text, quoted: true });
        }
        Ok(())
    }

    /// `$NAME`, `${NAME}` or `$(...)` at the current `$`; `None` when the `$` is literal.
    fn dollar(&mut self, quoted: bool) -> Result<Option<WordPart>, ScriptError> {
        let position = self.position();
        match self.peek_at(1) {
            Some('?') => {
                self.bump();
                self.bump();
                Ok(Some(WordPart::Variable { name: "?".into(), quoted }))
            }
            Some(c) if is_name_start(c) => {
                self.bump();
                let mut name = String::new();
                while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
                    self.bump();
                    name.push(c);
                }
                Ok(Some(WordPart::Variable { name, quoted }))
            }
            Some('{') => {
                self.bump();
                self.bump();
                let mut name = String::new();
                loop {
                    match self.bump() {
                        Some('}') => break,
                        Some(c) if is_name_char(c) => name.push(c),
                        Some(_) => {
                            return Err(self.error(
                                position,
                                "only ${NAME} is supported inside ${...} (no defaults or substitutions)",
                            ))
                        }
                        None => return Err(self.error(position, "unterminated ${")),
                    }
                }
                if name.is_empty() || !name.starts_with(is_name_start) {
                    return Err(self.error(position, format!("bad substitution '${{{name}}}'")));
                }
                Ok(Some(WordPart::Variable { name, quoted }))
            }
            Some('(') => {
                self.bump();
                self.bump();
                if self.peek() == Some('(') {
                    return Err(self.error(position, "arithmetic $((...)) is not supported"));
                }
                let script = self.commands(true)?;
                if self.bump() != Some(')') {
                    return Err(self.error(position, "unterminated $( (missing ')')"));
                }
                if script.commands.is_empty() {
                    return Err(self.error(position, "empty command substitution $()"));
                }
                Ok(Some(WordPart::CommandSubstitution { script, quoted }))
            }
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(word: &Word) -> String {
        word.as_literal().expect("literal word")
    }

    #[test]
    fn continuation_and_quotes_make_one_command() {
        let script = parse_script("aws ecs create-cluster \\\n  --cluster-name 'a b' # note\n").unwrap();
        assert_eq!(script.commands.len(), 1);
        let words: Vec<String> = script.commands[0].words.iter().map(literal).collect();
        assert_eq!(words, ["aws", "ecs", "create-cluster", "--cluster-name", "a b"]);
    }

    #[test]
    fn unterminated_quote_reports_where_it_opened() {
        let error = parse_script("echo ok\naws ecs x --a 'oops\n").unwrap_err();
        assert_eq!(error.position, Position { line: 2, column: 15 });
        assert!(error.message.contains("single quote"));
    }
}
