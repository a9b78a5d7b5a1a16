//! The shell grammar platform engineers write around the AWS CLI, parsed into a tree before
//! anything runs: lists (`;`, newlines, `&&`, `||`, `!`), pipelines, `if`/`elif`/`else`,
//! `while`/`until`, `for … in`, `case`, brace groups, subshells, functions, `[[ … ]]`,
//! `(( … ))`, redirections (`>`, `>>`, `<`, `2>&1`, `&>`, here-documents including `<<-` and
//! quoted delimiters, here-strings), and words with quotes, `$VAR`, `${VAR…}` parameter
//! operators, `$(…)`, backquotes and `$((…))`.
//!
//! Hand-written rather than brush-parser, measured: brush-parser 0.4.0 (the current release)
//! builds for wasm32-unknown-unknown with rustc 1.95, but a minimal cdylib that parses a program
//! and a word with it is 151.7 KB gzipped after `wasm-opt -Oz` against 11.1 KB without it
//! (+140 KB, a third of the playground's whole bundle; 95 crates in its lock file, among them
//! `cached`, `bon` and `darling`), and it keeps words as raw text to be parsed again at expansion
//! time by a second grammar. This parser is one pass, gives every pipeline a line:column and its
//! source text (the console highlights the running line and shows what ran), and refuses what
//! the interpreter does not run (background jobs, process substitution, arrays, `select`,
//! `coproc`, C-style `for`, `=~`, unknown commands) before anything runs, with the line, column
//! and the construct's name.

use std::cell::OnceCell;
use std::fmt;
use std::rc::Rc;

/// The commands the interpreter runs itself (besides the text utilities and functions).
pub const BUILTINS: &[&str] = &[
    "aws", "echo", "printf", "sleep", "sim", "export", "set", "unset", "read", "test", "[", "true", "false",
    ":", "exit", "return", "break", "continue", "xargs", "local", "shift", "cd", "pwd",
];

/// A position in the script text, 1-based, columns counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

/// What `${NAME…}` does with the variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamOp {
    /// `$NAME`, `${NAME}`.
    Plain,
    /// `${#NAME}`.
    Length,
    /// `${NAME:-w}` (`colon`: also when empty) / `${NAME-w}`.
    Default { colon: bool, word: Word },
    /// `${NAME:=w}` / `${NAME=w}`.
    Assign { colon: bool, word: Word },
    /// `${NAME:?w}` / `${NAME?w}`.
    Error { colon: bool, word: Word },
    /// `${NAME:+w}` / `${NAME+w}`.
    Alternative { colon: bool, word: Word },
    /// `${NAME#p}` / `${NAME##p}`.
    RemovePrefix { longest: bool, pattern: Word },
    /// `${NAME%p}` / `${NAME%%p}`.
    RemoveSuffix { longest: bool, pattern: Word },
    /// `${NAME/p/r}`, `${NAME//p/r}`, `${NAME/#p/r}`, `${NAME/%p/r}`.
    Replace { mode: ReplaceMode, pattern: Word, replacement: Word },
    /// `${NAME:offset}` / `${NAME:offset:length}` (arithmetic text).
    Substring { offset: Word, length: Option<Word> },
    /// `${NAME^^}`, `${NAME,,}`, `${NAME^}`, `${NAME,}`.
    Case { upper: bool, all: bool },
}

/// Which matches `${NAME/…}` replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplaceMode {
    First,
    All,
    Prefix,
    Suffix,
}

/// One piece of a word. `quoted` pieces are not split into fields after expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordPart {
    Literal {
        text: String,
        quoted: bool,
    },
    Param {
        name: String,
        op: Box<ParamOp>,
        quoted: bool,
    },
    CommandSubstitution {
        script: Script,
        quoted: bool,
    },
    /// `$((…))`: the expression's text after expansion is evaluated.
    Arithmetic {
        expression: Word,
        quoted: bool,
    },
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

    /// The text when the word is a bare unquoted literal (reserved words, `}`).
    fn bare(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Literal { text, quoted: false }] => Some(text),
            _ => None,
        }
    }

    fn literal(text: &str) -> Word {
        Word { parts: vec![WordPart::Literal { text: text.to_string(), quoted: false }] }
    }
}

/// Where a redirection sends or takes a file descriptor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectKind {
    /// `n> file` (`append`: `>>`).
    Write { append: bool, target: Word },
    /// `n< file`.
    Read { target: Word },
    /// `n>&m`.
    Duplicate { to: u32 },
    /// `&> file` / `&>> file`: stdout and stderr.
    Both { append: bool, target: Word },
    /// `<<DELIM` / `<<-DELIM`: the body (expanded unless the delimiter was quoted).
    HereDoc { body: Rc<OnceCell<Word>> },
    /// `<<< word`: the word and a newline.
    HereString { word: Word },
}

/// One redirection of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub fd: u32,
    pub kind: RedirectKind,
}

/// One simple command: leading `NAME=value` assignments, the words, its redirections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub assignments: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// One token of `[[ … ]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestToken {
    Word(Word),
    /// `&&`, `||`, `!`, `(`, `)`, `<`, `>`.
    Operator(&'static str),
}

/// A `case` arm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: List,
    /// What follows the body: `;;` stop, `;&` run the next body, `;;&` test the next patterns.
    pub end: CaseEnd,
}

/// How a `case` arm ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseEnd {
    Stop,
    FallThrough,
    TestNext,
}

/// Compound commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compound {
    Brace(List),
    Subshell(List),
    If {
        branches: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    While {
        until: bool,
        condition: List,
        body: List,
    },
    For {
        variable: String,
        words: Option<Vec<Word>>,
        body: List,
    },
    /// `raw` is the word as written, which `set -x` shows.
    Case {
        word: Word,
        raw: String,
        arms: Vec<CaseArm>,
    },
    DoubleBracket(Vec<TestToken>),
    Arithmetic(Word),
}

/// One command of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple(SimpleCommand),
    Compound(Rc<Compound>, Vec<Redirect>),
    Function { name: String, body: Rc<Compound> },
}

/// Commands joined by `|`, possibly negated by `!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub position: Position,
    /// The pipeline as written (continuation lines included), for display next to its output.
    pub source: String,
    pub negated: bool,
    pub commands: Vec<Command>,
}

/// How two pipelines of an and-or list are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// `p1 && p2 || p3 …`: one item of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

impl AndOr {
    /// The `index`-th pipeline (0 is the first).
    pub fn pipeline(&self, index: usize) -> &Pipeline {
        if index == 0 {
            &self.first
        } else {
            &self.rest[index - 1].1
        }
    }
}

/// A sequence of and-or lists.
pub type List = Rc<Vec<AndOr>>;

/// A parsed script.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    pub items: List,
}

impl Script {
    /// The number of top-level items (commands joined by `;` or newlines).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the script has no command.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Parses a whole script; a command name that is not a builtin, a utility or a function defined
/// in the script is refused. Nothing runs until the whole text parses.
pub fn parse_script(text: &str) -> Result<Script, ScriptError> {
    parse_script_with(text, &|_| false)
}

/// As [`parse_script`], also accepting the command names `known` accepts (the session's
/// functions).
pub fn parse_script_with(text: &str, known: &dyn Fn(&str) -> bool) -> Result<Script, ScriptError> {
    let mut parser = Parser::new(text, Position { line: 1, column: 1 });
    let items = parser.list(&[], false)?;
    if let Some(c) = parser.peek() {
        let what = match c {
            ')' => "unexpected ')'".to_string(),
            _ => format!("unexpected '{c}'"),
        };
        return Err(parser.error(parser.position(), what));
    }
    parser.finish_heredocs()?;
    for (name, position) in &parser.command_names {
        let ok = BUILTINS.contains(&name.as_str())
            || super::utils::is_utility(name)
            || parser.functions.contains(name)
            || known(name);
        if !ok {
            return Err(ScriptError {
                position: *position,
                message: format!(
                    "unsupported command '{name}' (this console runs aws, sim, the shell's builtins, \
                     its text utilities and functions the script defines)"
                ),
            });
        }
    }
    Ok(Script { items: Rc::new(items) })
}

struct PendingHereDoc {
    delimiter: String,
    strip_tabs: bool,
    quoted: bool,
    body: Rc<OnceCell<Word>>,
    position: Position,
}

struct Parser {
    chars: Vec<char>,
    index: usize,
    line: usize,
    column: usize,
    heredocs: Vec<PendingHereDoc>,
    command_names: Vec<(String, Position)>,
    functions: Vec<String>,
    depth: usize,
}

/// Nesting beyond this is refused (a fuzzer's `$($($(…` must not overflow the stack).
const MAX_DEPTH: usize = 64;

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `text` is a shell variable name.
pub fn is_name(text: &str) -> bool {
    text.starts_with(is_name_start) && text.chars().all(is_name_char)
}

const RESERVED_STOPS: &[&str] = &["then", "elif", "else", "fi", "do", "done", "esac", "}"];

impl Parser {
    fn new(text: &str, start: Position) -> Self {
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

    fn peek(&self) -> Option<char> {
        self.chars.get(self.index).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.index + offset).copied()
    }

    fn looking_at(&self, text: &str) -> bool {
        text.chars().enumerate().all(|(i, c)| self.peek_at(i) == Some(c))
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

    fn bump_n(&mut self, n: usize) {
        for _ in 0..n {
            self.bump();
        }
    }

    fn error(&self, position: Position, message: impl Into<String>) -> ScriptError {
        ScriptError { position, message: message.into() }
    }

    fn enter(&mut self) -> Result<(), ScriptError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(self.position(), "nesting too deep"));
        }
        Ok(())
    }

    /// Skips blanks, `\`-newline continuations and a comment.
    fn skip_blanks(&mut self) {
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
    fn newline(&mut self) -> Result<(), ScriptError> {
        self.bump();
        let pending = std::mem::take(&mut self.heredocs);
        for heredoc in pending {
            self.heredoc_body(heredoc)?;
        }
        Ok(())
    }

    fn skip_newlines(&mut self) -> Result<(), ScriptError> {
        loop {
            self.skip_blanks();
            if self.peek() == Some('\n') {
                self.newline()?;
            } else {
                return Ok(());
            }
        }
    }

    fn finish_heredocs(&mut self) -> Result<(), ScriptError> {
        let pending = std::mem::take(&mut self.heredocs);
        for heredoc in pending {
            self.heredoc_body(heredoc)?;
        }
        Ok(())
    }

    fn heredoc_body(&mut self, heredoc: PendingHereDoc) -> Result<(), ScriptError> {
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

    /// A list of and-or items up to a reserved word in `stops`, a `)` (when `paren`), `;;` or the end.
    fn list(&mut self, stops: &[&str], paren: bool) -> Result<Vec<AndOr>, ScriptError> {
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
    fn peek_reserved(&self) -> Option<String> {
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

    fn keyword(&mut self, word: &str) -> Result<(), ScriptError> {
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

    fn and_or(&mut self) -> Result<AndOr, ScriptError> {
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

    fn pipeline(&mut self) -> Result<Pipeline, ScriptError> {
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

    fn command(&mut self) -> Result<Command, ScriptError> {
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

    fn name_word(&mut self, position: Position) -> Result<String, ScriptError> {
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

    fn function_body(&mut self, name: String, position: Position) -> Result<Command, ScriptError> {
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

    fn compound(&mut self, word: &str, position: Position) -> Result<Compound, ScriptError> {
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

    fn do_group(&mut self) -> Result<List, ScriptError> {
        self.keyword("do")?;
        let body = self.list(&["done"], false)?;
        self.keyword("done")?;
        Ok(Rc::new(body))
    }

    fn case(&mut self) -> Result<Compound, ScriptError> {
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

    fn double_bracket(&mut self, position: Position) -> Result<Compound, ScriptError> {
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

    fn simple_command(&mut self) -> Result<Command, ScriptError> {
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

    fn redirects(&mut self) -> Result<Vec<Redirect>, ScriptError> {
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
    fn redirect(&mut self) -> Result<Option<Redirect>, ScriptError> {
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

    fn redirect_target(&mut self, position: Position) -> Result<Word, ScriptError> {
        self.skip_blanks();
        match self.peek() {
            None | Some('\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')') => {
                Err(self.error(position, "a redirection needs a file name"))
            }
            _ => self.word(),
        }
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
        if self.peek_at(offset) == Some('[') {
            return None;
        }
        let plus = self.peek_at(offset) == Some('+') && self.peek_at(offset + 1) == Some('=');
        if plus {
            return None;
        }
        (self.peek_at(offset) == Some('=')).then_some(name)
    }

    /// A word that must not be empty: an operator where a loop expects words is an error (a
    /// fuzzer found `[[ ;` looping forever on an empty word).
    fn word_progressing(&mut self, place: &str) -> Result<Word, ScriptError> {
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
    fn word(&mut self) -> Result<Word, ScriptError> {
        self.word_until(&[])
    }

    /// A word that also stops at any of `extra` (`}` and `/` inside `${…}`).
    fn word_until(&mut self, extra: &[char]) -> Result<Word, ScriptError> {
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

    fn single_quoted(&mut self, open: Position) -> Result<String, ScriptError> {
        let mut text = String::new();
        loop {
            match self.bump() {
                Some('\'') => return Ok(text),
                Some(c) => text.push(c),
                None => return Err(self.error(open, "unterminated single quote")),
            }
        }
    }

    fn ansi_c_quoted(&mut self, open: Position) -> Result<String, ScriptError> {
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
    fn quoted_text(&mut self, open: Option<Position>) -> Result<Word, ScriptError> {
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
    fn backquoted(&mut self, quoted: bool) -> Result<WordPart, ScriptError> {
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
    fn arithmetic_text(&mut self, open: Position) -> Result<Word, ScriptError> {
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
    fn dollar(&mut self, quoted: bool) -> Result<Option<WordPart>, ScriptError> {
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
    fn braced(&mut self, open: Position, quoted: bool) -> Result<WordPart, ScriptError> {
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
    fn param_word(&mut self, quoted: bool, stops: &[char]) -> Result<Word, ScriptError> {
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

impl Word {
    /// A word of one unquoted literal (for tests and generated commands).
    pub fn plain(text: &str) -> Word {
        Word::literal(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn simple(script: &Script, index: usize) -> &SimpleCommand {
        match &script.items[index].first.commands[0] {
            Command::Simple(command) => command,
            other => panic!("not simple: {other:?}"),
        }
    }

    #[test]
    fn continuation_and_quotes_make_one_command() {
        let script = parse_script("aws ecs create-cluster \\\n  --cluster-name 'a b' # note\n").unwrap();
        assert_eq!(script.len(), 1);
        let words: Vec<String> = simple(&script, 0).words.iter().map(|w| w.as_literal().unwrap()).collect();
        assert_eq!(words, ["aws", "ecs", "create-cluster", "--cluster-name", "a b"]);
    }

    #[test]
    fn unterminated_quote_reports_where_it_opened() {
        let error = parse_script("echo ok\naws ecs x --a 'oops\n").unwrap_err();
        assert_eq!(error.position, Position { line: 2, column: 15 });
        assert!(error.message.contains("single quote"));
    }

    #[test]
    fn heredoc_bodies_are_read_after_their_line() {
        let script = parse_script("cat <<EOF; echo after\nline $X\nEOF\necho last\n");
        // `cat` is a utility another module registers; the parse must at least reach it.
        if let Err(error) = &script {
            assert!(error.message.contains("'cat'"), "{error}");
        }
        let script = parse_script("read x <<-'END'\n\tbody $X\n\tEND\necho last\n").unwrap();
        assert_eq!(script.len(), 2);
        let RedirectKind::HereDoc { body } = &simple(&script, 0).redirects[0].kind else { panic!() };
        assert_eq!(body.get().unwrap().as_literal().unwrap(), "body $X\n");
    }
}
