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

mod commands;
mod cursor;
mod words;

use cursor::Parser;

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
