use super::*;

fn ring(lines: &str) -> Keyring {
    Keyring::parse(lines).expect("valid keyring")
}

#[test]
fn seal_open_round_trip_and_binding() {
    let k = ring(&Keyring::new_key_line());
    let sealed = k.seal(b"seed bytes", b"fac_1");
    assert_eq!(
        k.open(&sealed.key_id, &sealed.blob, b"fac_1").as_deref(),
        Ok(&b"seed bytes"[..])
    );
    assert_eq!(
        k.open(&sealed.key_id, &sealed.blob, b"fac_2"),
        Err(KeyringError::Decrypt)
    );
    let mut tampered = sealed.blob.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    assert_eq!(
        k.open(&sealed.key_id, &tampered, b"fac_1"),
        Err(KeyringError::Decrypt)
    );
    assert_eq!(
        k.open(&sealed.key_id, &[1, 2, 3], b"fac_1"),
        Err(KeyringError::Decrypt)
    );
    assert!(!format!("{sealed:?}{k:?}").contains("seed"));
}

#[test]
fn rotation_keeps_old_keys_readable() {
    let first = Keyring::new_key_line();
    let old = ring(&first);
    let sealed = old.seal(b"x", b"a");
    let rotated = ring(&format!("{first}{}", Keyring::new_key_line()));
    assert_ne!(rotated.current_id(), old.current_id());
    assert_eq!(
        rotated.open(&sealed.key_id, &sealed.blob, b"a").as_deref(),
        Ok(&b"x"[..])
    );
    assert_ne!(rotated.seal(b"x", b"a").key_id, sealed.key_id);
}

#[test]
fn bad_files() {
    assert_eq!(
        Keyring::parse("# nothing\n").err(),
        Some(KeyringError::Empty)
    );
    assert_eq!(
        Keyring::parse("k1 notbase64!").err(),
        Some(KeyringError::BadLine(1))
    );
    assert_eq!(
        Keyring::parse("k1 AAAA").err(),
        Some(KeyringError::BadLine(1))
    );
    let line = Keyring::new_key_line();
    let dup = format!("{line}{line}");
    assert!(matches!(
        Keyring::parse(&dup),
        Err(KeyringError::DuplicateId(_))
    ));
}

#[test]
fn pepper_depends_on_key_and_parts() {
    let k = ring(&Keyring::new_key_line());
    let id = k.current_id();
    let a = k
        .peppered_hash(&id, PEPPER_BACKUP_CODE, &[b"u1", b"code"])
        .expect("key");
    assert_eq!(
        a,
        k.peppered_hash(&id, PEPPER_BACKUP_CODE, &[b"u1", b"code"])
            .expect("key")
    );
    assert_ne!(
        a,
        k.peppered_hash(&id, PEPPER_BACKUP_CODE, &[b"u2", b"code"])
            .expect("key")
    );
    assert_ne!(
        a,
        k.peppered_hash(&id, PEPPER_BACKUP_CODE, &[b"u1c", b"ode"])
            .expect("key")
    );
    let other = ring(&Keyring::new_key_line());
    assert!(
        other
            .peppered_hash(&id, PEPPER_BACKUP_CODE, &[b"u1"])
            .is_err()
    );
}

#[test]
fn creates_file_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sub/master.key");
    let a = Keyring::load_or_create(&path).expect("created");
    let b = Keyring::load_or_create(&path).expect("read back");
    assert_eq!(a.current_id(), b.current_id());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o077, 0, "key file must not be readable by others");
    }
}

#[test]
fn a_loaded_keyring_follows_its_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("master.key");
    let running = Keyring::load_or_create(&path).expect("created");
    let old_id = running.current_id();
    let old_sealed = running.seal(b"old secret", b"row1");

    // Another process (the CLI) rotates.
    let new_id = file::add_key(&path).expect("key added");
    let cli = Keyring::load_or_create(&path).expect("read");
    assert_eq!(cli.current_id(), new_id);
    let resealed = cli
        .reseal(&old_sealed.key_id, &old_sealed.blob, b"row1")
        .expect("reseal")
        .expect("sealed by an old key");
    assert_eq!(resealed.key_id, new_id);

    // The running keyring opens what it has never seen a key for, and seals with the new key.
    assert_eq!(
        running
            .open(&resealed.key_id, &resealed.blob, b"row1")
            .as_deref(),
        Ok(&b"old secret"[..])
    );
    assert_eq!(running.seal(b"x", b"y").key_id, new_id);
    assert_ne!(old_id, new_id);
    assert!(
        cli.reseal(&resealed.key_id, &resealed.blob, b"row1")
            .expect("current")
            .is_none()
    );
}

#[test]
fn retiring_keeps_the_peppers_and_drops_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("master.key");
    let ring = Keyring::load_or_create(&path).expect("created");
    let old_id = ring.current_id();
    let hash = ring
        .peppered_hash(&old_id, PEPPER_BACKUP_CODE, &[b"u1", b"code"])
        .expect("hash");
    let sealed = ring.seal(b"s", b"a");

    assert!(matches!(
        file::retire_key(&path, &old_id)
            .expect_err("the current key")
            .downcast_ref::<KeyringError>(),
        Some(KeyringError::RetireCurrent(_))
    ));
    let new_id = file::add_key(&path).expect("added");
    file::retire_key(&path, &old_id).expect("retired");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(&format!("pepper {old_id} {PEPPER_BACKUP_CODE} ")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o077, 0, "key file must stay private");
    }

    let after = Keyring::load_or_create(&path).expect("read back");
    assert_eq!(after.key_ids(), vec![new_id.clone()]);
    assert_eq!(after.pepper_ids().len(), 2);
    assert_eq!(
        after
            .peppered_hash(&old_id, PEPPER_BACKUP_CODE, &[b"u1", b"code"])
            .expect("pepper kept"),
        hash
    );
    assert_eq!(
        after.open(&sealed.key_id, &sealed.blob, b"a"),
        Err(KeyringError::UnknownKey(old_id.clone()))
    );
    // The running keyring follows too.
    assert_eq!(
        ring.peppered_hash(&old_id, PEPPER_BACKUP_CODE, &[b"u1", b"code"])
            .expect("pepper kept"),
        hash
    );
    assert!(file::retire_key(&path, &old_id).is_err(), "already retired");
}

#[test]
fn concurrent_changes_keep_every_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("master.key");
    let first = Keyring::load_or_create(&path)
        .expect("created")
        .current_id();
    let added: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| file::add_key(&path).expect("added")))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let ids = Keyring::load_or_create(&path).expect("read").key_ids();
    assert_eq!(ids.len(), 9, "{ids:?}");
    assert!(ids.contains(&first));
    for id in &added {
        assert!(ids.contains(id), "{id} lost: {ids:?}");
    }
    // A retirement racing with rotations loses nothing either.
    std::thread::scope(|s| {
        let retire = s.spawn(|| file::retire_key(&path, &first).expect("retired"));
        let add = s.spawn(|| file::add_key(&path).expect("added"));
        retire.join().expect("thread");
        add.join().expect("thread");
    });
    let after = Keyring::load_or_create(&path).expect("read");
    assert_eq!(after.key_ids().len(), 9);
    assert!(after.pepper_ids().contains(&first));
    assert!(!after.key_ids().contains(&first));
}

#[test]
fn only_root_or_the_owner_may_replace() {
    let p = Path::new("/k");
    assert!(file::takeover_refusal(0, 1000, p).is_none());
    assert!(file::takeover_refusal(1000, 1000, p).is_none());
    let why = file::takeover_refusal(1001, 1000, p).expect("refused");
    assert!(why.contains("uid 1000"), "{why}");
    assert!(why.contains("KEYWARD_MASTER_KEY_FILE"), "{why}");
}

#[cfg(unix)]
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let probe = dir.path().join("probe");
    std::fs::write(&probe, b"").expect("write");
    std::fs::metadata(&probe).expect("meta").uid() == 0
}

/// Root (e.g. `sudo keyward keys rotate`) writes a file the server's user can still read.
#[cfg(unix)]
#[test]
fn a_change_keeps_the_files_owner_group_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if !running_as_root() {
        eprintln!("skipped: needs root to give files away");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("master.key");
    let first = Keyring::load_or_create(&path)
        .expect("created")
        .current_id();
    std::os::unix::fs::chown(&path, Some(4242), Some(4343)).expect("chown");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let check = |what: &str| {
        let m = std::fs::metadata(&path).expect("meta");
        assert_eq!((m.uid(), m.gid()), (4242, 4343), "{what}");
        assert_eq!(m.mode() & 0o7777, 0o640, "{what}");
    };
    file::add_key(&path).expect("added");
    check("after add_key");
    file::retire_key(&path, &first).expect("retired");
    check("after retire_key");
    let lock = std::fs::metadata(dir.path().join("master.key.lock")).expect("lock file");
    assert_eq!(
        lock.uid(),
        4242,
        "the lock file goes to the key file's owner"
    );
}

/// Another (non-root) user is refused before anything changes. Runs this test binary again
/// as `nobody` for the one ignored test below.
#[cfg(unix)]
#[test]
fn another_user_is_refused_and_nothing_changes() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    if !running_as_root() {
        eprintln!("skipped: needs root to run a child as another user");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777))
        .expect("chmod dir");
    let path = dir.path().join("master.key");
    Keyring::load_or_create(&path).expect("created");
    // Readable by the other user, so it gets as far as writing the new file.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let before = std::fs::read(&path).expect("read");
    let out = std::process::Command::new(std::env::current_exe().expect("exe"))
        .args([
            "--exact",
            "domain::keyring::tests::child_add_key_as_another_user",
            "--ignored",
            "--nocapture",
        ])
        .env("KEYWARD_TEST_KEY_FILE", &path)
        .uid(65534)
        .gid(65534)
        .output()
        .expect("child runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{log}");
    assert!(log.contains("1 passed"), "{log}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "key file unchanged"
    );
    assert!(
        !dir.path().join(".master.key.new").exists(),
        "no temp file left"
    );
}

#[cfg(unix)]
#[test]
#[ignore = "run by another_user_is_refused_and_nothing_changes as another user"]
fn child_add_key_as_another_user() {
    let Some(path) = std::env::var_os("KEYWARD_TEST_KEY_FILE").map(PathBuf::from) else {
        return;
    };
    let err = file::add_key(&path).expect_err("refused").to_string();
    assert!(err.contains("refused"), "{err}");
    assert!(err.contains("(uid 0)"), "{err}");
    assert!(err.contains("Nothing was changed"), "{err}");
}

#[test]
fn a_broken_file_keeps_the_loaded_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("master.key");
    let ring = Keyring::load_or_create(&path).expect("created");
    let id = ring.current_id();
    std::fs::write(&path, "garbage line here\n").expect("write");
    assert_eq!(ring.current_id(), id);
    assert!(Keyring::parse("pepper k1 backup-code AAAA").is_err());
}
