//! What both server binaries print when they start: a startup error and
//! the warning about a missing `WEBHOOK_SECRET` reach standard error
//! whatever `RUST_LOG` filters, and an error is printed once.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Both binaries, by name and path.
const BINARIES: [(&str, &str); 2] = [
    ("vapi-server", env!("CARGO_BIN_EXE_vapi-server")),
    ("baseline-server", env!("CARGO_BIN_EXE_baseline-server")),
];

/// How long a binary may take to exit, or to print an awaited line.
const WAIT_LIMIT: Duration = Duration::from_secs(30);

const EMPTY_SECRET_ERROR: &str = "`WEBHOOK_SECRET` is set but empty";

const NO_SECRET_WARNING: &str = "`WEBHOOK_SECRET` is not set: authentication is off";

/// Kills the child on drop, so a failed assertion leaves no server running.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Builds a command for `binary` with the database in `folder`, a free
/// loopback port and `RUST_LOG` set to `filter`. Every other server
/// variable is removed, so the test's own environment cannot change it.
fn server_command(binary: &str, folder: &Path, filter: &str) -> Command {
    let mut command = Command::new(binary);
    for name in [
        "WEBHOOK_ADDR",
        "WEBHOOK_SECRET",
        "WEBHOOK_DB",
        "WEBHOOK_HEADER_READ_TIMEOUT_SECS",
    ] {
        command.env_remove(name);
    }
    command
        .env("WEBHOOK_ADDR", "127.0.0.1:0")
        .env("WEBHOOK_DB", folder.join("calls.db"))
        .env("RUST_LOG", filter)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Reads all of `stream` on a thread of its own.
fn read_all(mut stream: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stream.read_to_string(&mut text);
        text
    })
}

/// Runs `command` to its exit and returns its status, standard output and
/// standard error. Fails the test if it is still running after
/// [`WAIT_LIMIT`].
fn run_to_exit(mut command: Command) -> (ExitStatus, String, String) {
    let mut child = ChildGuard(command.spawn().expect("server binary starts"));
    let stdout = read_all(child.0.stdout.take().unwrap());
    let stderr = read_all(child.0.stderr.take().unwrap());

    let deadline = Instant::now() + WAIT_LIMIT;
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "server still running after 30 s");
        std::thread::sleep(Duration::from_millis(20));
    };
    (status, stdout.join().unwrap(), stderr.join().unwrap())
}

/// Sends each line of `stream` to the returned channel, from a thread of
/// its own that drains the stream until it closes.
fn follow_lines(stream: impl Read + Send + 'static) -> Receiver<String> {
    let (sender, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// Returns whether a line containing `text` arrives within [`WAIT_LIMIT`].
fn line_arrives(lines: &Receiver<String>, text: &str) -> bool {
    let deadline = Instant::now() + WAIT_LIMIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(text) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

#[test]
fn startup_error_shown_with_logs_off() {
    for (name, binary) in BINARIES {
        for filter in ["off", "webhook::delivery=debug"] {
            let folder = tempfile::tempdir().unwrap();
            let mut command = server_command(binary, folder.path(), filter);
            command.env("WEBHOOK_SECRET", "");

            let (status, stdout, stderr) = run_to_exit(command);

            assert_eq!(status.code(), Some(1), "{name}, {filter}: {stderr}");
            assert_eq!(
                stderr.matches(EMPTY_SECRET_ERROR).count(),
                1,
                "{name}, {filter}: {stderr}"
            );
            assert_eq!(stdout, "", "{name}, {filter}");
        }
    }
}

#[test]
fn startup_error_printed_once_with_logs_on() {
    for (name, binary) in BINARIES {
        let folder = tempfile::tempdir().unwrap();
        let mut command = server_command(binary, folder.path(), "info");
        command.env("WEBHOOK_SECRET", "");

        let (status, stdout, stderr) = run_to_exit(command);

        assert_eq!(status.code(), Some(1), "{name}: {stderr}");
        assert_eq!(
            stderr.matches(EMPTY_SECRET_ERROR).count(),
            1,
            "{name}: {stderr}"
        );
        assert!(stderr.contains("ERROR"), "{name}: {stderr}");
        assert!(!stdout.contains(EMPTY_SECRET_ERROR), "{name}: {stdout}");
    }
}

#[test]
fn port_in_use_error_shown_with_logs_off() {
    let port_holder = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = port_holder.local_addr().unwrap();

    for (name, binary) in BINARIES {
        let folder = tempfile::tempdir().unwrap();
        let mut command = server_command(binary, folder.path(), "webhook::delivery=debug");
        command
            .env("WEBHOOK_ADDR", addr.to_string())
            .env("WEBHOOK_SECRET", "startup-secret-not-real");

        let (status, _stdout, stderr) = run_to_exit(command);

        assert_eq!(status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("failed to listen on {addr}")),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn no_secret_warning_shown_with_logs_off() {
    for (name, binary) in BINARIES {
        for filter in ["off", "webhook::delivery=debug", "info"] {
            let folder = tempfile::tempdir().unwrap();
            let mut command = server_command(binary, folder.path(), filter);
            let mut child = ChildGuard(command.spawn().expect("server binary starts"));
            let stderr = follow_lines(child.0.stderr.take().unwrap());
            let _stdout = follow_lines(child.0.stdout.take().unwrap());

            assert!(
                line_arrives(&stderr, NO_SECRET_WARNING),
                "{name}, {filter}: no warning about the missing secret on standard error"
            );
            assert!(
                child.0.try_wait().unwrap().is_none(),
                "{name}, {filter}: server exited"
            );
        }
    }
}
