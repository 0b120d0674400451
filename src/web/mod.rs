//! Server-rendered pages (askama templates in `templates/`, one stylesheet, no inline script).
//!
//! A page handler names who it serves with an extractor from [`session`] (`SignedIn`,
//! `SecondStep`, `Sudo`, `Staff<SecurityTeam>` …), reads its form with `CsrfForm<T>`, calls
//! one service, and renders a template that embeds [`page::Layout`]; anything that stops it
//! is a [`page::PageError`]. Pages never touch the database.

pub mod assets;
pub mod enroll;
pub mod oidc;
pub mod page;
pub mod password;
pub mod report;
pub mod second_step;
pub mod session;
pub mod settings;
pub mod sign_in;
pub mod sign_up;
pub mod staff;
