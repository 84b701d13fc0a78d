//! Evidence files on disk, content-addressed: `<data_dir>/evidence/<first 2 hex>/<sha256>`.
//!
//! A file is written to a temporary name in the same folder tree (owner read/write only, never
//! executable), synced, and only then renamed into place, so a stored name always holds the
//! whole file. Identical uploads share one file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct EvidenceStore {
    root: PathBuf,
}

/// A file written under a temporary name, not yet in place. Dropping it removes it.
#[derive(Debug)]
pub struct Staged {
    temp: Option<PathBuf>,
    root: PathBuf,
    pub sha256: String,
    pub size: u64,
}

/// A file in its place. `created` says whether placing it put it there (rather than finding
/// an identical file already stored).
#[derive(Debug)]
pub struct Placed {
    pub key: String,
    pub created: bool,
}

impl EvidenceStore {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            root: data_dir.join("evidence"),
        }
    }

    /// The storage key of content with this SHA-256 (lower-case hex).
    pub fn key_of(sha256: &str) -> String {
        format!("{}/{sha256}", &sha256[..2.min(sha256.len())])
    }

    /// The path of a stored key; `None` for anything that is not a key this store makes.
    pub fn path_of(&self, key: &str) -> Option<PathBuf> {
        let (dir, sha) = key.split_once('/')?;
        let hex = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        (sha.len() == 64 && hex(sha) && sha.starts_with(dir)).then(|| self.root.join(dir).join(sha))
    }

    /// Hashes the bytes and writes them under a temporary name.
    pub fn stage(&self, bytes: &[u8]) -> io::Result<Staged> {
        let mut staging = self.begin()?;
        staging.write(bytes)?;
        staging.finish()
    }

    /// A new file under a temporary name, to be written a chunk at a time while it is hashed.
    pub fn begin(&self) -> io::Result<Staging> {
        let dir = self.root.join("tmp");
        create_private_dir(&dir)?;
        let temp = dir.join(format!("{}.part", uuid::Uuid::now_v7()));
        // Made first, so that a failed write below is removed with it.
        let staged = Staged {
            temp: Some(temp.clone()),
            root: self.root.clone(),
            sha256: String::new(),
            size: 0,
        };
        let file = private_new_file(&temp)?;
        Ok(Staging {
            file,
            hasher: Sha256::new(),
            staged,
        })
    }

    pub fn read(&self, key: &str) -> io::Result<Vec<u8>> {
        let path = self
            .path_of(key)
            .ok_or_else(|| io::Error::other(format!("{key:?} is not a storage key")))?;
        fs::read(path)
    }

    /// Removes a stored file; one already gone is not an error.
    pub fn remove(&self, key: &str) -> io::Result<()> {
        let Some(path) = self.path_of(key) else {
            return Ok(());
        };
        match fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// A file being written under a temporary name; dropped before [`Staging::finish`], it is
/// removed.
#[derive(Debug)]
pub struct Staging {
    file: fs::File,
    hasher: Sha256,
    staged: Staged,
}

impl Staging {
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.hasher.update(bytes);
        self.staged.size += bytes.len() as u64;
        Ok(())
    }

    pub fn size(&self) -> u64 {
        self.staged.size
    }

    /// Syncs the file to disk and answers it, hashed.
    pub fn finish(self) -> io::Result<Staged> {
        let Self {
            file,
            hasher,
            mut staged,
        } = self;
        file.sync_all()?;
        staged.sha256 = hex::encode(hasher.finalize());
        Ok(staged)
    }
}

impl Staged {
    pub fn key(&self) -> String {
        EvidenceStore::key_of(&self.sha256)
    }

    /// Moves the file to its content address. Two callers placing the same content at once
    /// would both think they created it: call this under the audit lock, like every write.
    pub fn place(mut self) -> io::Result<Placed> {
        let key = self.key();
        let dir = self.root.join(&self.sha256[..2]);
        let target = dir.join(&self.sha256);
        let Some(temp) = self.temp.take() else {
            return Err(io::Error::other("staged file already placed"));
        };
        create_private_dir(&dir)?;
        if target.exists() {
            fs::remove_file(&temp)?;
            return Ok(Placed {
                key,
                created: false,
            });
        }
        fs::rename(&temp, &target)?;
        Ok(Placed { key, created: true })
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = fs::remove_file(temp);
        }
    }
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn private_new_file(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (EvidenceStore, PathBuf) {
        let dir = std::env::temp_dir().join(format!("dcmm-store-{}", uuid::Uuid::now_v7()));
        (EvidenceStore::new(&dir), dir)
    }

    #[test]
    fn content_lands_under_its_hash_owner_only_and_not_executable() {
        let (store, dir) = store();
        let staged = store.stage(b"evidence").unwrap();
        let sha = hex::encode(Sha256::digest(b"evidence"));
        assert_eq!((staged.sha256.as_str(), staged.size), (sha.as_str(), 8));
        let placed = staged.place().unwrap();
        assert!(placed.created);
        assert_eq!(placed.key, format!("{}/{sha}", &sha[..2]));
        let path = store.path_of(&placed.key).unwrap();
        assert_eq!(path, dir.join("evidence").join(&sha[..2]).join(&sha));
        assert_eq!(store.read(&placed.key).unwrap(), b"evidence");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let leftovers = fs::read_dir(dir.join("evidence/tmp")).unwrap().count();
        assert_eq!(leftovers, 0);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn identical_content_is_stored_once_and_a_dropped_stage_leaves_nothing() {
        let (store, dir) = store();
        assert!(store.stage(b"same").unwrap().place().unwrap().created);
        assert!(!store.stage(b"same").unwrap().place().unwrap().created);
        drop(store.stage(b"abandoned").unwrap());
        let mut unfinished = store.begin().unwrap();
        unfinished.write(b"half an upl").unwrap();
        drop(unfinished);
        let leftovers = fs::read_dir(dir.join("evidence/tmp")).unwrap().count();
        assert_eq!(leftovers, 0);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_written_in_chunks_is_hashed_whole() {
        let (store, dir) = store();
        let mut staging = store.begin().unwrap();
        for chunk in [&b"evi"[..], b"", b"dence"] {
            staging.write(chunk).unwrap();
        }
        assert_eq!(staging.size(), 8);
        let staged = staging.finish().unwrap();
        assert_eq!(staged.sha256, hex::encode(Sha256::digest(b"evidence")));
        let placed = staged.place().unwrap();
        assert_eq!(store.read(&placed.key).unwrap(), b"evidence");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn only_keys_of_this_store_name_paths() {
        let (store, _) = store();
        let sha = "ab".repeat(32);
        assert!(store.path_of(&format!("ab/{sha}")).is_some());
        assert!(store.path_of(&format!("cd/{sha}")).is_none());
        assert!(store.path_of("../../etc/passwd").is_none());
        assert!(store.path_of(&format!("ab/{}", "AB".repeat(32))).is_none());
        assert!(store.remove("not a key").is_ok());
    }
}
