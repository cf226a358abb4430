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
    /// False when the file was hashed whole before it was decoded (a
    /// Windows-1252 file): the bytes read are the decoded text.
    hash_reads: bool,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.hash_reads {
            self.hasher.update(&buf[..n]);
        }
        Ok(n)
    }
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            hash_reads: true,
        }
    }

    /// Reads whatever the parser left unread and returns the SHA-256 of the
    /// whole file as lower-case hex.
    pub fn finish(mut self) -> io::Result<String> {
        io::copy(&mut self, &mut io::sink())?;
        Ok(hex(&self.hasher.finalize()))
    }
}

/// A file as read: from disk, or decoded into memory first.
pub enum FileBytes {
    Disk(File),
    Decoded(io::Cursor<Vec<u8>>),
}

impl Read for FileBytes {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            FileBytes::Disk(f) => f.read(buf),
            FileBytes::Decoded(c) => c.read(buf),
        }
    }
}

pub type Source = BufReader<HashingReader<FileBytes>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Xml,
    /// A zip archive: an Excel workbook.
    Xlsx,
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
    let source = BufReader::with_capacity(64 * 1024, HashingReader::new(FileBytes::Disk(file)));
    opened(source, len)
}

fn opened(mut source: Source, len: u64) -> io::Result<Opened> {
    let start = source.fill_buf()?;
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    let kind = match start.iter().find(|b| !b.is_ascii_whitespace()) {
        _ if super::xlsx903::is_workbook(start) => Kind::Xlsx,
        Some(b'<') => Kind::Xml,
        _ => Kind::Csv,
    };
    Ok(Opened { source, kind, len })
}

/// Lower-case hex of a digest.
fn hex(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(b & 0xf)]));
    }
    hex
}

/// The SHA-256 of a whole file as lower-case hex (a workbook, read whole).
pub fn sha256_file(path: &Path) -> io::Result<String> {
    Ok(hex(&Sha256::digest(std::fs::read(path)?)))
}

/// Whether a file is UTF-8 text throughout (read in chunks, never whole).
pub fn is_utf8(path: &Path) -> io::Result<bool> {
    let mut file = BufReader::with_capacity(64 * 1024, File::open(path)?);
    // Bytes of a character cut by the chunk's end, carried to the next.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let chunk = file.fill_buf()?;
        if chunk.is_empty() {
            return Ok(carry.is_empty());
        }
        let n = chunk.len();
        carry.extend_from_slice(chunk);
        file.consume(n);
        match std::str::from_utf8(&carry) {
            Ok(_) => carry.clear(),
            // Cut short at the end: keep the tail for the next chunk.
            Err(e) if e.error_len().is_none() => {
                carry.drain(..e.valid_up_to());
            }
            Err(_) => return Ok(false),
        }
    }
}

/// Opens a file that is not UTF-8 as Windows-1252 (what Excel writes): it
/// is decoded into memory, and its SHA-256 is of the file as it is on disk.
pub fn open_windows_1252(path: &Path) -> io::Result<Opened> {
    let raw = std::fs::read(path)?;
    let mut hashing = HashingReader::new(FileBytes::Decoded(io::Cursor::new(Vec::new())));
    hashing.hasher.update(&raw);
    hashing.hash_reads = false;
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&raw);
    let bytes = text.into_owned().into_bytes();
    let len = bytes.len() as u64;
    hashing.inner = FileBytes::Decoded(io::Cursor::new(bytes));
    opened(BufReader::with_capacity(64 * 1024, hashing), len)
}

/// The SHA-256 of a source, once its parser is done with it.
pub fn finish(source: Source) -> io::Result<String> {
    // Bytes still in the BufReader were hashed when they were read.
    source.into_inner().finish()
}
