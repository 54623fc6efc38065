package input

import (
	"os"
	"path/filepath"
)

// What a path holds, asked by the commands that print or write per file: the answers
// come from the same reading of names that Read uses.

// OneDocument reports a file name whose file holds exactly one document (.json and
// .json.gz), as opposed to NDJSON, streams and archives.
func OneDocument(name string) bool {
	f, _ := formatOf(name)
	return f == formatJSON
}

// IsArchive reports a tar, tar.gz/.tgz or zip archive name.
func IsArchive(name string) bool {
	f, _ := formatOf(name)
	return f == formatTar || f == formatTarGz || f == formatZip
}

// WholeFile reports an origin that is a whole file of one document: a .json file, or
// a .json member of an archive.
func (o Origin) WholeFile() bool {
	if o.Member != "" {
		return OneDocument(o.Member)
	}
	return o.Path != "-" && OneDocument(o.Path)
}

// SeveralFiles reports whether paths name more than one file: several paths, a
// directory, an archive or a glob matching several files.
func SeveralFiles(paths []string) bool {
	if len(paths) != 1 {
		return len(paths) > 1
	}
	p := paths[0]
	if p == "-" {
		return false
	}
	info, err := os.Stat(p)
	if err != nil {
		matches, _ := filepath.Glob(p)
		return len(matches) > 1
	}
	return info.IsDir() || IsArchive(p)
}
