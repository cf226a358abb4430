//! Opening an import file: its SHA-256 is computed while it is read (each
//! byte is read once), and its first bytes tell CSV from XML.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// Passes bytes through, hashing them on the way.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Reads whatever the parser left unread and returns the SHA-256 of the
    /// whole file as lower-case hex.
    pub fn finish(mut self) -> io::Result<String> {
        io::copy(&mut self, &mut io::sink())?;
        Ok(panel_core::text::hex(&self.hasher.finalize()))
    }
}

pub type Source = BufReader<HashingReader<File>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Xml,
}

/// An open file, not yet parsed.
pub struct Opened {
    pub source: Source,
    pub kind: Kind,
    /// Size in bytes, to tell a quote left open (which runs to the end of
    /// the file) from a value that merely spans lines.
    pub len: u64,
}

/// Opens a file and looks at its first bytes: after an optional BOM and
/// white space, `<` means XML; anything else is read as CSV.
pub fn open(path: &Path) -> io::Result<Opened> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let mut source = BufReader::with_capacity(64 * 1024, HashingReader::new(file));
    let start = source.fill_buf()?;
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    let kind = match start.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => Kind::Xml,
        _ => Kind::Csv,
    };
    Ok(Opened { source, kind, len })
}

/// The SHA-256 of a source, once its parser is done with it.
pub fn finish(source: Source) -> io::Result<String> {
    // Bytes still in the BufReader were hashed when they were read.
    source.into_inner().finish()
}
