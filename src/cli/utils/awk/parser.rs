//! Tokens to a syntax tree: patterns, statements and expressions with awk's precedence
//! (concatenation by juxtaposition, `in`, `>` that is a redirection inside `print`). Separate so
//! that the grammar can be read, and its errors worded, without the runtime.

use super::lexer::Token;
use super::value::number_text;

#[derive(Debug, Clone)]
pub(super) enum Expr {
    Num(f64),
    Str(String),
    Regex(usize),
    Var(String),
    Field(Box<Expr>),
    Index(String, Box<Expr>),
    In(Box<Expr>, String),
    Assign(Box<Expr>, Option<&'static str>, Box<Expr>),
    Incr { target: Box<Expr>, delta: f64, prefix: bool },
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    Group(Box<Expr>),
}

#[derive(Debug, Clone)]
pub(super) enum Stmt {
    Print { args: Vec<Expr>, formatted: bool, to: Option<(bool, Expr)> },
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>, Box<Stmt>),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Expr>),
}

#[derive(Debug, Clone)]
pub(super) enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
}

pub(super) struct Parser {
    pub(super) tokens: Vec<Token>,
    pub(super) at: usize,
    pub(super) regexes: Vec<String>,
}

pub(super) type Parsed<T> = Result<T, String>;

impl Parser {
    pub(super) fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    pub(super) fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Token::Punct(q)) if *q == p)
    }

    pub(super) fn is_keyword(&self, k: &str) -> bool {
        matches!(self.peek(), Some(Token::Keyword(q)) if *q == k)
    }

    pub(super) fn eat_punct(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn expect(&mut self, p: &str) -> Parsed<()> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    pub(super) fn unexpected(&self) -> String {
        match self.peek() {
            None => "syntax error: unexpected end of program".into(),
            Some(Token::Keyword(k))
                if matches!(*k, "getline" | "function" | "func" | "return" | "nextfile") =>
            {
                format!("`{k}` is not supported by this console's awk")
            }
            Some(token) => format!("syntax error at or near {}", describe(token)),
        }
    }

    pub(super) fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Token::Newline)) {
            self.at += 1;
        }
    }

    pub(super) fn skip_terminators(&mut self) {
        while matches!(self.peek(), Some(Token::Newline) | Some(Token::Punct(";"))) {
            self.at += 1;
        }
    }

    pub(super) fn program(&mut self) -> Parsed<Vec<(Pattern, Option<Vec<Stmt>>)>> {
        let mut items = Vec::new();
        self.skip_terminators();
        while self.peek().is_some() {
            let pattern = if self.is_keyword("BEGIN") {
                self.at += 1;
                Pattern::Begin
            } else if self.is_keyword("END") {
                self.at += 1;
                Pattern::End
            } else if self.is_punct("{") {
                Pattern::All
            } else {
                Pattern::Expr(self.expr(false)?)
            };
            if self.is_punct(",") {
                return Err("range patterns (p1, p2) are not supported by this console's awk".into());
            }
            let action = if self.is_punct("{") {
                Some(self.block()?)
            } else if matches!(pattern, Pattern::Begin | Pattern::End) {
                return Err(self.unexpected());
            } else {
                None
            };
            items.push((pattern, action));
            self.skip_terminators();
        }
        Ok(items)
    }

    pub(super) fn block(&mut self) -> Parsed<Vec<Stmt>> {
        self.expect("{")?;
        let mut statements = Vec::new();
        loop {
            self.skip_terminators();
            if self.eat_punct("}") {
                return Ok(statements);
            }
            statements.push(self.statement()?);
        }
    }

    pub(super) fn end_simple(&mut self) -> Parsed<()> {
        match self.peek() {
            Some(Token::Newline) | Some(Token::Punct(";")) => {
                self.at += 1;
                Ok(())
            }
            Some(Token::Punct("}")) | None => Ok(()),
            _ => Err(self.unexpected()),
        }
    }

    pub(super) fn statement(&mut self) -> Parsed<Stmt> {
        if self.is_punct("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let Some(token) = self.peek().cloned() else { return Err(self.unexpected()) };
        match token {
            Token::Keyword("if") => {
                self.at += 1;
                self.expect("(")?;
                let condition = self.expr(false)?;
                self.expect(")")?;
                self.skip_newlines();
                let then = self.statement()?;
                let save = self.at;
                self.skip_terminators();
                if self.is_keyword("else") {
                    self.at += 1;
                    self.skip_newlines();
                    let otherwise = self.statement()?;
                    return Ok(Stmt::If(condition, Box::new(then), Some(Box::new(otherwise))));
                }
                self.at = save;
                Ok(Stmt::If(condition, Box::new(then), None))
            }
            Token::Keyword("while") => {
                self.at += 1;
                self.expect("(")?;
                let condition = self.expr(false)?;
                self.expect(")")?;
                if self.is_punct(";") {
                    self.at += 1;
                    return Ok(Stmt::While(condition, Box::new(Stmt::Block(Vec::new()))));
                }
                self.skip_newlines();
                Ok(Stmt::While(condition, Box::new(self.statement()?)))
            }
            Token::Keyword("do") => {
                self.at += 1;
                self.skip_newlines();
                let body = self.statement()?;
                self.skip_terminators();
                if !self.is_keyword("while") {
                    return Err(self.unexpected());
                }
                self.at += 1;
                self.expect("(")?;
                let condition = self.expr(false)?;
                self.expect(")")?;
                self.end_simple()?;
                Ok(Stmt::Do(Box::new(body), condition))
            }
            Token::Keyword("for") => {
                self.at += 1;
                self.expect("(")?;
                if let (Some(Token::Name(var)), Some(Token::Keyword("in")), Some(Token::Name(array))) = (
                    self.tokens.get(self.at).cloned(),
                    self.tokens.get(self.at + 1).cloned(),
                    self.tokens.get(self.at + 2).cloned(),
                ) {
                    if matches!(self.tokens.get(self.at + 3), Some(Token::Punct(")"))) {
                        self.at += 4;
                        self.skip_newlines();
                        return Ok(Stmt::ForIn(var, array, Box::new(self.statement()?)));
                    }
                }
                let init = if self.is_punct(";") { None } else { Some(Box::new(self.simple()?)) };
                self.expect(";")?;
                self.skip_newlines();
                let condition = if self.is_punct(";") { None } else { Some(self.expr(false)?) };
                self.expect(";")?;
                self.skip_newlines();
                let step = if self.is_punct(")") { None } else { Some(Box::new(self.simple()?)) };
                self.expect(")")?;
                if self.is_punct(";") {
                    self.at += 1;
                    return Ok(Stmt::For(init, condition, step, Box::new(Stmt::Block(Vec::new()))));
                }
                self.skip_newlines();
                Ok(Stmt::For(init, condition, step, Box::new(self.statement()?)))
            }
            Token::Punct(";") => {
                self.at += 1;
                Ok(Stmt::Block(Vec::new()))
            }
            _ => {
                let statement = self.simple()?;
                self.end_simple()?;
                Ok(statement)
            }
        }
    }

    pub(super) fn simple(&mut self) -> Parsed<Stmt> {
        let Some(token) = self.peek().cloned() else { return Err(self.unexpected()) };
        Ok(match token {
            Token::Keyword(k @ ("print" | "printf")) => {
                self.at += 1;
                let mut args = Vec::new();
                let grouped = self.is_punct("(") && self.print_parenthesised();
                if grouped {
                    self.at += 1;
                    args = self.expr_list(false)?;
                    self.expect(")")?;
                } else if !self.at_print_end() {
                    args = self.expr_list(true)?;
                }
                let to = if self.eat_punct(">") {
                    Some((false, self.concat(true)?))
                } else if self.eat_punct(">>") {
                    Some((true, self.concat(true)?))
                } else if self.is_punct("|") {
                    return Err("print | command is not supported by this console's awk".into());
                } else {
                    None
                };
                if k == "printf" && args.is_empty() {
                    return Err("printf: no format".into());
                }
                Stmt::Print { args, formatted: k == "printf", to }
            }
            Token::Keyword("next") => {
                self.at += 1;
                Stmt::Next
            }
            Token::Keyword("exit") => {
                self.at += 1;
                let code = if self.at_print_end() { None } else { Some(self.expr(false)?) };
                Stmt::Exit(code)
            }
            Token::Keyword("break") => {
                self.at += 1;
                Stmt::Break
            }
            Token::Keyword("continue") => {
                self.at += 1;
                Stmt::Continue
            }
            Token::Keyword("delete") => {
                self.at += 1;
                let Some(Token::Name(name)) = self.peek().cloned() else { return Err(self.unexpected()) };
                self.at += 1;
                let key = if self.eat_punct("[") {
                    let key = self.subscript()?;
                    self.expect("]")?;
                    Some(key)
                } else {
                    None
                };
                Stmt::Delete(name, key)
            }
            _ => Stmt::Expr(self.expr(false)?),
        })
    }

    /// Whether `print (a, b)` groups its whole argument list (the `)` is followed by the end).
    pub(super) fn print_parenthesised(&self) -> bool {
        let mut depth = 0;
        for (offset, token) in self.tokens[self.at..].iter().enumerate() {
            match token {
                Token::Punct("(") => depth += 1,
                Token::Punct(")") => {
                    depth -= 1;
                    if depth == 0 {
                        return matches!(
                            self.tokens.get(self.at + offset + 1),
                            None | Some(Token::Newline) | Some(Token::Punct(";" | "}" | ">" | ">>" | "|"))
                        );
                    }
                }
                _ => {}
            }
        }
        false
    }

    pub(super) fn at_print_end(&self) -> bool {
        matches!(self.peek(), None | Some(Token::Newline) | Some(Token::Punct(";" | "}" | ">" | ">>" | "|")))
    }

    pub(super) fn expr_list(&mut self, no_gt: bool) -> Parsed<Vec<Expr>> {
        let mut list = vec![self.expr(no_gt)?];
        while self.eat_punct(",") {
            self.skip_newlines();
            list.push(self.expr(no_gt)?);
        }
        Ok(list)
    }

    pub(super) fn subscript(&mut self) -> Parsed<Expr> {
        // `a[i, j]` joins with SUBSEP.
        let parts = self.expr_list(false)?;
        let mut iter = parts.into_iter();
        let mut key = iter.next().ok_or_else(|| self.unexpected())?;
        for part in iter {
            key = Expr::Concat(
                Box::new(Expr::Concat(Box::new(key), Box::new(Expr::Var("SUBSEP".into())))),
                Box::new(part),
            );
        }
        Ok(key)
    }

    pub(super) fn expr(&mut self, no_gt: bool) -> Parsed<Expr> {
        self.ternary(no_gt)
    }

    pub(super) fn ternary(&mut self, no_gt: bool) -> Parsed<Expr> {
        let condition = self.or(no_gt)?;
        if self.eat_punct("?") {
            self.skip_newlines();
            let then = self.ternary(no_gt)?;
            self.skip_newlines();
            self.expect(":")?;
            self.skip_newlines();
            let otherwise = self.ternary(no_gt)?;
            return Ok(Expr::Cond(Box::new(condition), Box::new(then), Box::new(otherwise)));
        }
        if let Some(Token::Punct(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^="))) = self.peek().cloned()
        {
            if matches!(condition, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                self.at += 1;
                self.skip_newlines();
                let value = self.ternary(no_gt)?;
                let op = if op == "=" { None } else { Some(&op[..1]) };
                let op: Option<&'static str> = op.map(|o| match o {
                    "+" => "+",
                    "-" => "-",
                    "*" => "*",
                    "/" => "/",
                    "%" => "%",
                    _ => "^",
                });
                return Ok(Expr::Assign(Box::new(condition), op, Box::new(value)));
            }
        }
        Ok(condition)
    }

    pub(super) fn or(&mut self, no_gt: bool) -> Parsed<Expr> {
        let mut left = self.and(no_gt)?;
        while self.eat_punct("||") {
            self.skip_newlines();
            left = Expr::Or(Box::new(left), Box::new(self.and(no_gt)?));
        }
        Ok(left)
    }

    pub(super) fn and(&mut self, no_gt: bool) -> Parsed<Expr> {
        let mut left = self.in_expr(no_gt)?;
        while self.eat_punct("&&") {
            self.skip_newlines();
            left = Expr::And(Box::new(left), Box::new(self.in_expr(no_gt)?));
        }
        Ok(left)
    }

    pub(super) fn in_expr(&mut self, no_gt: bool) -> Parsed<Expr> {
        let mut left = self.matching(no_gt)?;
        while self.is_keyword("in") {
            self.at += 1;
            let Some(Token::Name(array)) = self.peek().cloned() else { return Err(self.unexpected()) };
            self.at += 1;
            left = Expr::In(Box::new(left), array);
        }
        Ok(left)
    }

    pub(super) fn matching(&mut self, no_gt: bool) -> Parsed<Expr> {
        let mut left = self.comparison(no_gt)?;
        loop {
            let negated = if self.eat_punct("~") {
                false
            } else if self.eat_punct("!~") {
                true
            } else {
                return Ok(left);
            };
            left = Expr::Match(negated, Box::new(left), Box::new(self.comparison(no_gt)?));
        }
    }

    pub(super) fn comparison(&mut self, no_gt: bool) -> Parsed<Expr> {
        let left = self.concat(no_gt)?;
        let op = match self.peek() {
            Some(Token::Punct(op @ ("<" | "<=" | "==" | "!=" | ">="))) => *op,
            Some(Token::Punct(">")) if !no_gt => ">",
            _ => return Ok(left),
        };
        self.at += 1;
        let right = self.concat(no_gt)?;
        Ok(Expr::Binary(op, Box::new(left), Box::new(right)))
    }

    pub(super) fn starts_operand(&self) -> bool {
        match self.peek() {
            Some(Token::Number(_) | Token::Str(_) | Token::Regex(_) | Token::Name(_) | Token::Builtin(_)) => {
                true
            }
            Some(Token::Punct(p)) => matches!(*p, "$" | "(" | "!" | "-" | "+" | "++" | "--"),
            _ => false,
        }
    }

    pub(super) fn concat(&mut self, no_gt: bool) -> Parsed<Expr> {
        let mut left = self.additive()?;
        // Juxtaposition concatenates; `a -1` is subtraction, so `-`/`+` do not start one here.
        while self.starts_operand() && !self.is_punct("-") && !self.is_punct("+") && !self.is_keyword("in") {
            let _ = no_gt;
            let right = self.additive()?;
            left = Expr::Concat(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    pub(super) fn additive(&mut self) -> Parsed<Expr> {
        let mut left = self.multiplicative()?;
        loop {
            let op = if self.is_punct("+") {
                "+"
            } else if self.is_punct("-") {
                "-"
            } else {
                return Ok(left);
            };
            self.at += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.multiplicative()?));
        }
    }

    pub(super) fn multiplicative(&mut self) -> Parsed<Expr> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Token::Punct(op @ ("*" | "/" | "%"))) => *op,
                _ => return Ok(left),
            };
            self.at += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.unary()?));
        }
    }

    pub(super) fn unary(&mut self) -> Parsed<Expr> {
        if self.eat_punct("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat_punct("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat_punct("+") {
            return Ok(Expr::Binary("+", Box::new(Expr::Num(0.0)), Box::new(self.unary()?)));
        }
        self.power()
    }

    pub(super) fn power(&mut self) -> Parsed<Expr> {
        let base = self.postfix()?;
        if self.eat_punct("^") {
            // Right-associative, and binds tighter than unary minus on its right.
            let exponent = self.unary_power()?;
            return Ok(Expr::Binary("^", Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    pub(super) fn unary_power(&mut self) -> Parsed<Expr> {
        if self.eat_punct("-") {
            return Ok(Expr::Neg(Box::new(self.unary_power()?)));
        }
        self.power()
    }

    pub(super) fn postfix(&mut self) -> Parsed<Expr> {
        if self.eat_punct("++") {
            let target = self.primary()?;
            return Ok(Expr::Incr { target: Box::new(target), delta: 1.0, prefix: true });
        }
        if self.eat_punct("--") {
            let target = self.primary()?;
            return Ok(Expr::Incr { target: Box::new(target), delta: -1.0, prefix: true });
        }
        let expr = self.primary()?;
        if matches!(expr, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            if self.eat_punct("++") {
                return Ok(Expr::Incr { target: Box::new(expr), delta: 1.0, prefix: false });
            }
            if self.eat_punct("--") {
                return Ok(Expr::Incr { target: Box::new(expr), delta: -1.0, prefix: false });
            }
        }
        Ok(expr)
    }

    pub(super) fn primary(&mut self) -> Parsed<Expr> {
        let Some(token) = self.peek().cloned() else { return Err(self.unexpected()) };
        self.at += 1;
        match token {
            Token::Number(n) => Ok(Expr::Num(n)),
            Token::Str(s) => Ok(Expr::Str(s)),
            Token::Regex(r) => {
                self.regexes.push(r);
                Ok(Expr::Regex(self.regexes.len() - 1))
            }
            Token::Punct("$") => {
                // `$` binds tighter than everything but grouping and increments.
                let inner = if self.eat_punct("++") {
                    Expr::Incr { target: Box::new(self.primary()?), delta: 1.0, prefix: true }
                } else if self.eat_punct("-") {
                    Expr::Neg(Box::new(self.primary()?))
                } else {
                    self.primary()?
                };
                Ok(Expr::Field(Box::new(inner)))
            }
            Token::Punct("(") => {
                let first = self.expr(false)?;
                if self.is_punct(",") {
                    // `(a, b) in arr`
                    let mut parts = vec![first];
                    while self.eat_punct(",") {
                        parts.push(self.expr(false)?);
                    }
                    self.expect(")")?;
                    if !self.is_keyword("in") {
                        return Err(self.unexpected());
                    }
                    let mut key = parts.remove(0);
                    for part in parts {
                        key = Expr::Concat(
                            Box::new(Expr::Concat(Box::new(key), Box::new(Expr::Var("SUBSEP".into())))),
                            Box::new(part),
                        );
                    }
                    return Ok(Expr::Group(Box::new(key)));
                }
                self.expect(")")?;
                Ok(Expr::Group(Box::new(first)))
            }
            Token::Name(name) => {
                if self.eat_punct("[") {
                    let key = self.subscript()?;
                    self.expect("]")?;
                    return Ok(Expr::Index(name, Box::new(key)));
                }
                if self.is_punct("(") {
                    return Err(format!("calling function {name}() is not supported by this console's awk"));
                }
                Ok(Expr::Var(name))
            }
            Token::Builtin(name) => {
                if matches!(name.as_str(), "system" | "close" | "fflush" | "srand" | "rand") {
                    return Err(format!("{name}() is not supported by this console's awk"));
                }
                if !self.is_punct("(") {
                    if name == "length" {
                        return Ok(Expr::Call(name, Vec::new()));
                    }
                    return Err(self.unexpected());
                }
                self.at += 1;
                let args = if self.is_punct(")") { Vec::new() } else { self.expr_list(false)? };
                self.expect(")")?;
                Ok(Expr::Call(name, args))
            }
            _ => {
                self.at -= 1;
                Err(self.unexpected())
            }
        }
    }
}

pub(super) fn describe(token: &Token) -> String {
    match token {
        Token::Number(n) => number_text(*n),
        Token::Str(s) => format!("\"{s}\""),
        Token::Regex(r) => format!("/{r}/"),
        Token::Name(n) | Token::Builtin(n) => n.clone(),
        Token::Keyword(k) => k.to_string(),
        Token::Punct(p) => p.to_string(),
        Token::Newline => "end of line".into(),
    }
}
