//! Running the tree over records: variables, fields and `$0` rebuilding, arrays, statements and
//! expressions. Kept apart from the builtin functions, which are many small rules of their own.

use super::parser::{Expr, Stmt};
use super::value::{format_g, sprintf, Value};
use crate::cli::utils::pattern::{self, Regex};
use crate::cli::utils::UtilIo;
use std::collections::{BTreeMap, HashMap};

/// How a statement ended.
pub(super) enum Flow {
    Normal,
    Next,
    Exit,
    Break,
    Continue,
}

pub(super) struct Machine<'io, 'a> {
    pub(super) io: &'io mut UtilIo<'a>,
    pub(super) vars: HashMap<String, Value>,
    pub(super) arrays: HashMap<String, BTreeMap<String, Value>>,
    /// Insertion order of each array's keys, which `for (k in a)` follows (like mawk for small
    /// arrays; the order awk gives is unspecified).
    pub(super) order: HashMap<String, Vec<String>>,
    pub(super) regexes: Vec<Regex>,
    pub(super) dynamic: HashMap<String, Regex>,
    pub(super) record: String,
    pub(super) fields: Vec<String>,
    pub(super) exit_code: i32,
    pub(super) error: Option<String>,
}

impl Machine<'_, '_> {
    pub(super) fn var(&self, name: &str) -> Value {
        if name == "NF" {
            return Value::Num(self.fields.len() as f64);
        }
        self.vars.get(name).cloned().unwrap_or(Value::StrNum(String::new()))
    }

    pub(super) fn str_var(&self, name: &str) -> String {
        self.var(name).str()
    }

    pub(super) fn set_record(&mut self, text: &str) {
        self.record = text.to_string();
        self.fields = self.split(text, &self.str_var("FS"));
    }

    pub(super) fn split(&mut self, text: &str, separator: &str) -> Vec<String> {
        if separator == " " {
            return text.split([' ', '\t', '\n']).filter(|f| !f.is_empty()).map(String::from).collect();
        }
        if text.is_empty() {
            return Vec::new();
        }
        if separator.chars().count() == 1 && separator != "\\" {
            return text.split(separator).map(String::from).collect();
        }
        match self.regex(separator) {
            Some(re) => re.split(text).map(String::from).collect(),
            None => vec![text.to_string()],
        }
    }

    pub(super) fn regex(&mut self, source: &str) -> Option<Regex> {
        if let Some(re) = self.dynamic.get(source) {
            return Some(re.clone());
        }
        let compiled = pattern::translate(source, true).and_then(|t| pattern::compile(&t, false));
        match compiled {
            Ok(re) => {
                self.dynamic.insert(source.to_string(), re.clone());
                Some(re)
            }
            Err(message) => {
                self.fail(format!("regular expression /{source}/: {message}"));
                None
            }
        }
    }

    pub(super) fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(message);
        }
    }

    pub(super) fn rebuild_record(&mut self) {
        let ofs = self.str_var("OFS");
        self.record = self.fields.join(&ofs);
    }

    pub(super) fn field(&self, index: usize) -> Value {
        if index == 0 {
            return Value::StrNum(self.record.clone());
        }
        Value::StrNum(self.fields.get(index - 1).cloned().unwrap_or_default())
    }

    pub(super) fn field_index(&mut self, expr: &Expr) -> Option<usize> {
        let n = self.eval(expr).num();
        if n < 0.0 {
            self.fail(format!("trying to access out of range field {}", n as i64));
            return None;
        }
        Some(n as usize)
    }

    pub(super) fn assign(&mut self, target: &Expr, value: Value) {
        match target {
            Expr::Var(name) if name == "NF" => {
                let n = value.num().max(0.0) as usize;
                self.fields.resize(n, String::new());
                self.rebuild_record();
            }
            Expr::Var(name) => {
                self.vars.insert(name.clone(), value);
            }
            Expr::Field(index) => {
                let Some(i) = self.field_index(index) else { return };
                if i == 0 {
                    self.set_record(&value.str());
                } else {
                    if self.fields.len() < i {
                        self.fields.resize(i, String::new());
                    }
                    self.fields[i - 1] = value.str();
                    self.rebuild_record();
                }
            }
            Expr::Index(name, key) => {
                let key = self.eval(key).str();
                self.array_set(name, key, value);
            }
            Expr::Group(inner) => self.assign(inner, value),
            _ => {}
        }
    }

    pub(super) fn array_set(&mut self, name: &str, key: String, value: Value) {
        let array = self.arrays.entry(name.to_string()).or_default();
        if !array.contains_key(&key) {
            self.order.entry(name.to_string()).or_default().push(key.clone());
        }
        array.insert(key, value);
    }

    pub(super) fn array_get(&mut self, name: &str, key: String) -> Value {
        // Referencing an element creates it, as in awk.
        if !self.arrays.get(name).is_some_and(|a| a.contains_key(&key)) {
            self.array_set(name, key.clone(), Value::StrNum(String::new()));
        }
        self.arrays.get(name).and_then(|a| a.get(&key)).cloned().unwrap_or(Value::StrNum(String::new()))
    }

    pub(super) fn eval(&mut self, expr: &Expr) -> Value {
        match expr {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Regex(i) => {
                let matched = self.regexes[*i].is_match(&self.record);
                Value::Num(f64::from(u8::from(matched)))
            }
            Expr::Var(name) => self.var(name),
            Expr::Field(index) => match self.field_index(index) {
                Some(i) => self.field(i),
                None => Value::Str(String::new()),
            },
            Expr::Index(name, key) => {
                let key = self.eval(key).str();
                self.array_get(name, key)
            }
            Expr::In(key, name) => {
                let key = self.eval(key).str();
                Value::Num(f64::from(u8::from(self.arrays.get(name).is_some_and(|a| a.contains_key(&key)))))
            }
            Expr::Assign(target, op, value) => {
                let value = self.eval(value);
                let result = match op {
                    None => match value {
                        Value::StrNum(s) => Value::StrNum(s),
                        other => other,
                    },
                    Some(op) => {
                        let current = self.eval(target).num();
                        Value::Num(arithmetic(op, current, value.num()))
                    }
                };
                self.assign(target, result.clone());
                result
            }
            Expr::Incr { target, delta, prefix } => {
                let old = self.eval(target).num();
                self.assign(target, Value::Num(old + delta));
                Value::Num(if *prefix { old + delta } else { old })
            }
            Expr::Binary(op, left, right) => {
                let l = self.eval(left);
                let r = self.eval(right);
                match *op {
                    "<" | "<=" | ">" | ">=" | "==" | "!=" => {
                        let ordering = match (l.numeric(), r.numeric()) {
                            (Some(a), Some(b)) => a.partial_cmp(&b),
                            _ => Some(l.str().cmp(&r.str())),
                        };
                        let result = match ordering {
                            None => *op == "!=",
                            Some(o) => match *op {
                                "<" => o.is_lt(),
                                "<=" => o.is_le(),
                                ">" => o.is_gt(),
                                ">=" => o.is_ge(),
                                "==" => o.is_eq(),
                                _ => o.is_ne(),
                            },
                        };
                        Value::Num(f64::from(u8::from(result)))
                    }
                    op => {
                        let (a, b) = (l.num(), r.num());
                        if (op == "/" || op == "%") && b == 0.0 {
                            self.fail(if op == "/" {
                                "division by zero".into()
                            } else {
                                "division by zero in %".into()
                            });
                            return Value::Num(0.0);
                        }
                        Value::Num(arithmetic(op, a, b))
                    }
                }
            }
            Expr::Match(negated, left, right) => {
                let text = self.eval(left).str();
                let re = match right.as_ref() {
                    Expr::Regex(i) => Some(self.regexes[*i].clone()),
                    other => {
                        let source = self.eval(other).str();
                        self.regex(&source)
                    }
                };
                let matched = re.is_some_and(|re| re.is_match(&text));
                Value::Num(f64::from(u8::from(matched != *negated)))
            }
            Expr::And(left, right) => {
                let result = self.eval(left).truthy() && self.eval(right).truthy();
                Value::Num(f64::from(u8::from(result)))
            }
            Expr::Or(left, right) => {
                let result = self.eval(left).truthy() || self.eval(right).truthy();
                Value::Num(f64::from(u8::from(result)))
            }
            Expr::Not(inner) => Value::Num(f64::from(u8::from(!self.eval(inner).truthy()))),
            Expr::Neg(inner) => Value::Num(-self.eval(inner).num()),
            Expr::Concat(left, right) => {
                let mut text = self.eval(left).str();
                text.push_str(&self.eval(right).str());
                Value::Str(text)
            }
            Expr::Cond(condition, then, otherwise) => {
                if self.eval(condition).truthy() {
                    self.eval(then)
                } else {
                    self.eval(otherwise)
                }
            }
            Expr::Group(inner) => self.eval(inner),
            Expr::Call(name, args) => self.call(name, args),
        }
    }

    pub(super) fn run_block(&mut self, statements: &[Stmt]) -> Flow {
        for statement in statements {
            let flow = self.run(statement);
            if !matches!(flow, Flow::Normal) || self.error.is_some() {
                return flow;
            }
        }
        Flow::Normal
    }

    /// One pass of a loop's body, counted: `Some(flow)` ends the statement with `flow`
    /// (`Flow::Normal` after `break`, or after the ten-millionth pass, which is an error).
    fn pass(&mut self, guard: &mut u64, body: &Stmt) -> Option<Flow> {
        *guard += 1;
        if *guard > 10_000_000 {
            self.fail("loop ran ten million times; stopped".into());
            return Some(Flow::Normal);
        }
        match self.run(body) {
            Flow::Break => Some(Flow::Normal),
            Flow::Normal | Flow::Continue => None,
            other => Some(other),
        }
    }

    pub(super) fn run(&mut self, statement: &Stmt) -> Flow {
        match statement {
            Stmt::Print { args, formatted, to } => {
                let values: Vec<Value> = args.iter().map(|a| self.eval(a)).collect();
                let text = if *formatted {
                    sprintf(&values[0].str(), &values[1..])
                } else {
                    let mut line = if values.is_empty() {
                        self.record.clone()
                    } else {
                        let ofs = self.str_var("OFS");
                        values
                            .iter()
                            .map(|v| match v {
                                Value::Num(n) if *n != n.trunc() => format_g(*n, 6, false, false),
                                other => other.str(),
                            })
                            .collect::<Vec<_>>()
                            .join(&ofs)
                    };
                    line.push_str(&self.str_var("ORS"));
                    line
                };
                match to {
                    None => self.io.stdout.push_str(&text),
                    Some((append, file)) => {
                        let path = self.eval(file).str();
                        // The first `>` in a run truncates the file; later ones append, as awk keeps it open.
                        let key = format!("\u{0}open:{path}");
                        if *append || self.vars.contains_key(&key) {
                            self.io.fs.append(&path, &text);
                        } else {
                            self.io.fs.write(&path, &text);
                        }
                        self.vars.insert(key, Value::Num(1.0));
                    }
                }
                Flow::Normal
            }
            Stmt::Expr(expr) => {
                self.eval(expr);
                Flow::Normal
            }
            Stmt::If(condition, then, otherwise) => {
                if self.eval(condition).truthy() {
                    self.run(then)
                } else if let Some(otherwise) = otherwise {
                    self.run(otherwise)
                } else {
                    Flow::Normal
                }
            }
            Stmt::While(condition, body) => {
                let mut guard = 0u64;
                while self.eval(condition).truthy() && self.error.is_none() {
                    if let Some(flow) = self.pass(&mut guard, body) {
                        return flow;
                    }
                }
                Flow::Normal
            }
            Stmt::Do(body, condition) => {
                let mut guard = 0u64;
                loop {
                    if let Some(flow) = self.pass(&mut guard, body) {
                        return flow;
                    }
                    if !self.eval(condition).truthy() || self.error.is_some() {
                        break;
                    }
                }
                Flow::Normal
            }
            Stmt::For(init, condition, step, body) => {
                if let Some(init) = init {
                    self.run(init);
                }
                let mut guard = 0u64;
                while condition.as_ref().is_none_or(|c| self.eval(c).truthy()) && self.error.is_none() {
                    if let Some(flow) = self.pass(&mut guard, body) {
                        return flow;
                    }
                    if let Some(step) = step {
                        self.run(step);
                    }
                }
                Flow::Normal
            }
            Stmt::ForIn(var, array, body) => {
                let keys = self.order.get(array).cloned().unwrap_or_default();
                for key in keys {
                    if !self.arrays.get(array).is_some_and(|a| a.contains_key(&key)) {
                        continue;
                    }
                    self.vars.insert(var.clone(), Value::StrNum(key));
                    match self.run(body) {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return other,
                    }
                }
                Flow::Normal
            }
            Stmt::Block(statements) => self.run_block(statements),
            Stmt::Next => Flow::Next,
            Stmt::Exit(code) => {
                if let Some(code) = code {
                    self.exit_code = self.eval(code).num() as i32;
                }
                Flow::Exit
            }
            Stmt::Break => Flow::Break,
            Stmt::Continue => Flow::Continue,
            Stmt::Delete(name, key) => {
                match key {
                    Some(key) => {
                        let key = self.eval(key).str();
                        if let Some(array) = self.arrays.get_mut(name) {
                            array.remove(&key);
                        }
                        if let Some(order) = self.order.get_mut(name) {
                            order.retain(|k| *k != key);
                        }
                    }
                    None => {
                        self.arrays.remove(name);
                        self.order.remove(name);
                    }
                }
                Flow::Normal
            }
        }
    }
}

pub(super) fn arithmetic(op: &str, a: f64, b: f64) -> f64 {
    match op {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => a / b,
        "%" => a % b,
        _ => a.powf(b),
    }
}
