//! Control flow as data: the frames (`if`, `while`, `for`, `case`, lists, function calls) that
//! [`Machine`] steps one pipeline at a time. Kept apart from running a command because this is
//! what lets a caller stop between any two commands (to redraw, or to play a `sleep` out), and
//! `break`, `continue`, `return` and `exit` unwind through these frames.

use super::{failure, shell_quote, Acc, Control, Input, Interpreter, Outcome, STEP_BUDGET};
use crate::cli::backend::Backend;
use crate::cli::glob;
use crate::cli::script::{CaseEnd, Command, Compound, Connector, List, Pipeline, Position, Word};
use std::rc::Rc;

/// Where a compound command stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    Start,
    Condition,
    Body,
}

/// One level of running control flow.
#[derive(Debug, Clone)]
pub(super) enum Frame {
    /// A list: `item` is the and-or list, `next` the pipeline of it to consider next.
    List {
        items: List,
        item: usize,
        next: usize,
        exempt: bool,
    },
    If {
        node: Rc<Compound>,
        branch: usize,
        stage: Stage,
        exempt: bool,
    },
    While {
        node: Rc<Compound>,
        stage: Stage,
        status: i32,
        exempt: bool,
    },
    For {
        node: Rc<Compound>,
        values: Vec<String>,
        index: usize,
        status: i32,
        exempt: bool,
    },
    Case {
        node: Rc<Compound>,
        arm: usize,
        stage: Stage,
        exempt: bool,
    },
    /// A running function: the caller's positional parameters.
    Function {
        saved: Vec<String>,
    },
}

/// What the top frame wants next.
pub(super) enum Action {
    Run {
        items: List,
        item: usize,
        pipeline: usize,
        exempt: bool,
    },
    Push(Frame),
    /// The frame is done; `Some` sets `$?`.
    Pop(Option<i32>),
}

/// One pipeline that ran, for a record.
pub(super) struct Ran {
    pub(super) position: Position,
    pub(super) source: String,
    pub(super) outcome: Outcome,
}

/// A script (or a `$(…)`, a pipeline stage, a redirected compound) being run.
#[derive(Debug, Clone)]
pub(super) struct Machine {
    pub(super) frames: Vec<Frame>,
    pub(super) stdin: Input,
    /// Output of a nested run, gathered instead of reported.
    pub(super) capture: Option<Outcome>,
    /// `exit` ends this machine only (a subshell, `$(…)`, a pipeline stage).
    subshell: bool,
}

impl Machine {
    pub(super) fn top(items: List) -> Self {
        Machine {
            frames: vec![Frame::List { items, item: 0, next: 0, exempt: false }],
            stdin: Input::default(),
            capture: None,
            subshell: false,
        }
    }

    pub(super) fn nested(frames: Vec<Frame>, stdin: Input, subshell: bool) -> Self {
        Machine { frames, stdin, capture: Some(Outcome::default()), subshell }
    }

    /// Runs until a pipeline ran (at the top level) or nothing is left.
    pub(super) fn step(&mut self, sh: &mut Interpreter, backend: &mut dyn Backend) -> Option<Ran> {
        loop {
            if let Some(control) = sh.control.take() {
                if !self.unwind(sh, control) {
                    return None;
                }
                continue;
            }
            let frame = self.frames.last_mut()?;
            sh.steps += 1;
            if sh.steps > STEP_BUDGET {
                sh.pending_stderr.push_str(&format!(
                    "ecs-daemon-sim: stopped after {STEP_BUDGET} steps without finishing (a loop that never ends?)\n"
                ));
                sh.control = Some(Control::Exit(1));
                sh.steps = 0;
                let outcome = failure(std::mem::take(&mut sh.pending_stderr), 1);
                if self.capture.is_none() {
                    return Some(Ran { position: Position::default(), source: String::new(), outcome });
                }
                if let Some(capture) = &mut self.capture {
                    capture.stderr.push_str(&outcome.stderr);
                }
                // Every machine up to the top stops.
                sh.steps = STEP_BUDGET + 1;
                continue;
            }
            match resume(frame, sh, backend) {
                Action::Pop(status) => {
                    self.pop(sh);
                    if let Some(status) = status {
                        sh.last_status = status;
                    }
                }
                Action::Push(frame) => self.frames.push(frame),
                Action::Run { items, item, pipeline, exempt } => {
                    let pipeline = items[item].pipeline(pipeline);
                    if let Some(ran) = self.run(sh, backend, pipeline, exempt) {
                        return Some(ran);
                    }
                }
            }
        }
    }

    pub(super) fn pop(&mut self, sh: &mut Interpreter) {
        if let Some(Frame::Function { saved }) = self.frames.pop() {
            sh.leave_function(saved);
        }
    }

    /// Handles `exit`, `return`, `break`, `continue`; false when this machine is done.
    pub(super) fn unwind(&mut self, sh: &mut Interpreter, control: Control) -> bool {
        let propagate = |this: &mut Machine, sh: &mut Interpreter| {
            while !this.frames.is_empty() {
                this.pop(sh);
            }
            if !this.subshell {
                sh.control = Some(control);
            }
            false
        };
        match control {
            Control::Exit(status) => {
                sh.last_status = status;
                propagate(self, sh)
            }
            Control::Return(status) => {
                sh.last_status = status;
                if !self.frames.iter().any(|f| matches!(f, Frame::Function { .. })) {
                    return propagate(self, sh);
                }
                while let Some(frame) = self.frames.last() {
                    let function = matches!(frame, Frame::Function { .. });
                    self.pop(sh);
                    if function {
                        break;
                    }
                }
                true
            }
            Control::Break(mut levels) | Control::Continue(mut levels) => {
                let breaking = matches!(control, Control::Break(_));
                let loops = self
                    .frames
                    .iter()
                    .rev()
                    .take_while(|f| !matches!(f, Frame::Function { .. }))
                    .filter(|f| matches!(f, Frame::For { .. } | Frame::While { .. }))
                    .count();
                if loops == 0 {
                    return if self.subshell { true } else { propagate(self, sh) };
                }
                levels = levels.min(loops);
                while let Some(frame) = self.frames.last() {
                    let is_loop = matches!(frame, Frame::For { .. } | Frame::While { .. });
                    if is_loop {
                        levels -= 1;
                        if levels == 0 {
                            if breaking {
                                self.pop(sh);
                                sh.last_status = 0;
                            }
                            break;
                        }
                    }
                    self.pop(sh);
                }
                true
            }
        }
    }

    /// Runs one pipeline: a compound or a function call at this level becomes frames (so its
    /// commands are steps of their own); anything else runs whole.
    pub(super) fn run(
        &mut self,
        sh: &mut Interpreter,
        backend: &mut dyn Backend,
        pipeline: &Pipeline,
        exempt: bool,
    ) -> Option<Ran> {
        if !pipeline.negated && pipeline.commands.len() == 1 {
            match &pipeline.commands[0] {
                Command::Compound(compound, redirects) if redirects.is_empty() => {
                    if let Some(frame) = sh.compound_frame(compound, exempt, backend) {
                        self.frames.push(frame);
                        return None;
                    }
                    if sh.control.is_some() {
                        return self.report(sh, pipeline, Outcome { exit_code: 1, ..Outcome::default() });
                    }
                }
                Command::Function { name, body } => {
                    sh.functions.insert(name.clone(), body.clone());
                    sh.last_status = 0;
                    return None;
                }
                Command::Simple(simple) if simple.redirects.is_empty() && simple.assignments.is_empty() => {
                    let name = simple.words.first().and_then(Word::as_literal);
                    if let Some(body) = name.and_then(|n| sh.functions.get(&n).cloned()) {
                        if frameable(&body) {
                            let mut acc = Acc::default();
                            let Ok(fields) = sh.fields(&simple.words, backend, &mut acc) else {
                                return self.report(sh, pipeline, failure(acc.stderr, 1));
                            };
                            sh.trace(&fields, &mut acc.stderr);
                            sh.pending_stderr.push_str(&acc.stderr);
                            let saved = sh.enter_function(fields.get(1..).unwrap_or_default().to_vec());
                            self.frames.push(Frame::Function { saved });
                            if let Some(frame) = sh.compound_frame(&body, exempt, backend) {
                                self.frames.push(frame);
                            }
                            return None;
                        }
                    }
                }
                _ => {}
            }
        }
        let plain = pipeline.commands.len() == 1 && matches!(pipeline.commands[0], Command::Simple(_));
        sh.defer_sleep = self.capture.is_none() && plain;
        let outcome = sh.run_pipeline(pipeline, &mut self.stdin, backend);
        sh.defer_sleep = false;
        if sh.options.errexit
            && outcome.exit_code != 0
            && !exempt
            && !pipeline.negated
            && sh.control.is_none()
        {
            sh.control = Some(Control::Exit(outcome.exit_code));
        }
        self.report(sh, pipeline, outcome)
    }

    pub(super) fn report(
        &mut self,
        sh: &mut Interpreter,
        pipeline: &Pipeline,
        mut outcome: Outcome,
    ) -> Option<Ran> {
        sh.last_status = outcome.exit_code;
        if !sh.pending_stderr.is_empty() {
            outcome.stderr = std::mem::take(&mut sh.pending_stderr) + &outcome.stderr;
        }
        match &mut self.capture {
            Some(capture) => {
                capture.stdout.push_str(&outcome.stdout);
                capture.stderr.push_str(&outcome.stderr);
                None
            }
            None => Some(Ran { position: pipeline.position, source: pipeline.source.clone(), outcome }),
        }
    }
}

/// The next action of the top frame; `$?` is the status of what it ran last.
pub(super) fn resume(frame: &mut Frame, sh: &mut Interpreter, backend: &mut dyn Backend) -> Action {
    let status = sh.last_status;
    match frame {
        Frame::List { items, item, next, exempt } => loop {
            let Some(and_or) = items.get(*item) else { return Action::Pop(None) };
            let last = and_or.rest.len();
            if *next == 0 {
                *next = 1;
                return Action::Run {
                    items: items.clone(),
                    item: *item,
                    pipeline: 0,
                    exempt: *exempt || last > 0,
                };
            }
            if *next > last {
                *item += 1;
                *next = 0;
                continue;
            }
            let index = *next;
            *next += 1;
            let (connector, _) = and_or.rest[index - 1];
            if (connector == Connector::And) == (sh.last_status == 0) {
                return Action::Run {
                    items: items.clone(),
                    item: *item,
                    pipeline: index,
                    exempt: *exempt || index < last,
                };
            }
        },
        Frame::If { node, branch, stage, exempt } => {
            let Compound::If { branches, otherwise } = &**node else { return Action::Pop(None) };
            loop {
                match *stage {
                    Stage::Start => match branches.get(*branch) {
                        Some((condition, _)) => {
                            *stage = Stage::Condition;
                            return Action::Push(list_frame(condition, true));
                        }
                        None => {
                            *stage = Stage::Body;
                            return match otherwise {
                                Some(body) => Action::Push(list_frame(body, *exempt)),
                                None => Action::Pop(Some(0)),
                            };
                        }
                    },
                    Stage::Condition if status == 0 => {
                        *stage = Stage::Body;
                        return Action::Push(list_frame(&branches[*branch].1, *exempt));
                    }
                    Stage::Condition => {
                        *branch += 1;
                        *stage = Stage::Start;
                    }
                    Stage::Body => return Action::Pop(None),
                }
            }
        }
        Frame::While { node, stage, status: body_status, exempt } => {
            let Compound::While { until, condition, body } = &**node else { return Action::Pop(None) };
            match *stage {
                Stage::Start => {
                    *stage = Stage::Condition;
                    Action::Push(list_frame(condition, true))
                }
                Stage::Condition if (status == 0) != *until => {
                    *stage = Stage::Body;
                    Action::Push(list_frame(body, *exempt))
                }
                Stage::Condition => Action::Pop(Some(*body_status)),
                Stage::Body => {
                    *body_status = status;
                    *stage = Stage::Condition;
                    Action::Push(list_frame(condition, true))
                }
            }
        }
        Frame::For { node, values, index, status: body_status, exempt } => {
            let Compound::For { variable, body, .. } = &**node else { return Action::Pop(None) };
            if *index > 0 {
                *body_status = status;
            }
            match values.get(*index) {
                Some(value) => {
                    if sh.options.xtrace {
                        let words: Vec<String> = values.iter().map(|v| shell_quote(v)).collect();
                        sh.pending_stderr.push_str(&format!("+ for {variable} in {}\n", words.join(" ")));
                    }
                    sh.variables.insert(variable.clone(), value.clone());
                    *index += 1;
                    Action::Push(list_frame(body, *exempt))
                }
                None => Action::Pop(Some(*body_status)),
            }
        }
        Frame::Case { node, arm, stage, exempt } => {
            let Compound::Case { arms, .. } = &**node else { return Action::Pop(None) };
            match *stage {
                Stage::Start => match arms.get(*arm) {
                    Some(matched) => {
                        *stage = Stage::Body;
                        Action::Push(list_frame(&matched.body, *exempt))
                    }
                    None => Action::Pop(Some(0)),
                },
                _ => {
                    let end = arms[*arm].end;
                    match end {
                        CaseEnd::Stop => Action::Pop(None),
                        CaseEnd::FallThrough => {
                            *arm += 1;
                            match arms.get(*arm) {
                                Some(next) => Action::Push(list_frame(&next.body, *exempt)),
                                None => Action::Pop(None),
                            }
                        }
                        CaseEnd::TestNext => {
                            let word = match &**node {
                                Compound::Case { word, .. } => word.clone(),
                                _ => return Action::Pop(None),
                            };
                            match sh.case_arm(node, &word, *arm + 1, backend) {
                                Some(next) => {
                                    *arm = next;
                                    Action::Push(list_frame(&arms[next].body, *exempt))
                                }
                                None => Action::Pop(None),
                            }
                        }
                    }
                }
            }
        }
        Frame::Function { .. } => Action::Pop(None),
    }
}

pub(super) fn list_frame(items: &List, exempt: bool) -> Frame {
    Frame::List { items: items.clone(), item: 0, next: 0, exempt }
}

/// Whether a compound runs as frames of its own (its commands are steps).
pub(super) fn frameable(compound: &Compound) -> bool {
    matches!(
        compound,
        Compound::Brace(_)
            | Compound::If { .. }
            | Compound::While { .. }
            | Compound::For { .. }
            | Compound::Case { .. }
    )
}

impl Interpreter {
    /// The frame that runs `compound` step by step, or `None` for one that runs whole (or an
    /// expansion error, then `control` is set).
    pub(super) fn compound_frame(
        &mut self,
        compound: &Rc<Compound>,
        exempt: bool,
        backend: &mut dyn Backend,
    ) -> Option<Frame> {
        let node = compound.clone();
        match &**compound {
            Compound::Brace(items) => Some(list_frame(items, exempt)),
            Compound::If { .. } => Some(Frame::If { node, branch: 0, stage: Stage::Start, exempt }),
            Compound::While { .. } => Some(Frame::While { node, stage: Stage::Start, status: 0, exempt }),
            Compound::For { words, .. } => {
                let values = match words {
                    Some(words) => {
                        let mut acc = Acc::default();
                        let values = self.fields(words, backend, &mut acc);
                        self.pending_stderr.push_str(&acc.stderr);
                        values.ok()?
                    }
                    None => self.positional.clone(),
                };
                Some(Frame::For { node, values, index: 0, status: 0, exempt })
            }
            Compound::Case { word, .. } => {
                let arm = self.case_arm(compound, word, 0, backend);
                if self.control.is_some() {
                    return None;
                }
                Some(Frame::Case { node, arm: arm.unwrap_or(usize::MAX), stage: Stage::Start, exempt })
            }
            _ => None,
        }
    }

    /// The first arm from `from` whose pattern matches the case word.
    pub(super) fn case_arm(
        &mut self,
        node: &Compound,
        word: &Word,
        from: usize,
        backend: &mut dyn Backend,
    ) -> Option<usize> {
        let Compound::Case { arms, raw, .. } = node else { return None };
        let mut acc = Acc::default();
        let subject = self.joined(word, backend, &mut acc).ok()?;
        if self.options.xtrace && from == 0 {
            acc.stderr.push_str(&format!("+ case {raw} in\n"));
        }
        let mut found = None;
        'arms: for (index, arm) in arms.iter().enumerate().skip(from) {
            for pattern in &arm.patterns {
                let Ok(pattern) = self.pattern(pattern, backend, &mut acc) else { break 'arms };
                if glob::matches(&pattern, &subject) {
                    found = Some(index);
                    break 'arms;
                }
            }
        }
        self.pending_stderr.push_str(&acc.stderr);
        found
    }
}
