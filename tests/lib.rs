//! Helpers shared by the black-box tests (kept empty: the tests live in `it/`).
