"""The `congvan` command."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.progress import Progress

from pipeline.read import ReadError, read

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn Vietnamese official dispatches into tracked obligations.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

# Files in a folder that are notes or data beside the dispatches, not dispatches
NOT_DISPATCHES = {".md", ".json", ".jsonl", ".tsv", ".csv", ".py", ".sh", ".html"}


def _say(label: str, message: str) -> None:
    """One plain line on stderr: no wrapping, no markup read from file names."""
    sys.stderr.write(f"{label} {message}\n")


def _fail(message: str, code: int = 2) -> None:
    _say("error:", message)
    raise typer.Exit(code)


def _is_dispatch(path: Path) -> bool:
    name = path.name
    return path.is_file() and not name.startswith((".", "~$")) and not name.upper().startswith("README") \
        and path.suffix.lower() not in NOT_DISPATCHES


def _files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if _is_dispatch(p))
        else:
            yield path


def _read_and_extract(path: Path):
    """(document, record) of one file; any failure is a ReadError naming the file."""
    from pipeline.extract import extract_document

    document = read(path)
    try:
        return document, extract_document(document)
    except Exception as exc:  # an extractor bug must name the file, not kill the batch
        raise ReadError(path, f"extraction failed ({type(exc).__name__}: {exc})") from exc


def _extract_one(path: Path):
    return _read_and_extract(path)[1]


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Dispatch files or folders"),
    as_json: bool = typer.Option(False, "--json", help="Print the CONTRACT JSON record"),
    table: bool = typer.Option(False, "--table", help="Readable tables, also for folders"),
    html: Optional[Path] = typer.Option(None, "--html", help="Write a displaCy page of every extracted span"),
) -> None:
    """Extract the record of one dispatch (table or --json), or JSON Lines for a folder."""
    single = len(paths) == 1 and not paths[0].is_dir()
    if single:
        try:
            document, record = _read_and_extract(paths[0])
        except ReadError as exc:
            _fail(str(exc))
        if html:
            _write_html(paths[0], record, html, document.text)
        if as_json:
            sys.stdout.write(json.dumps(record.contract_json(), ensure_ascii=False, indent=2) + "\n")
        elif not html:
            from pipeline.show import print_dispatch

            print_dispatch(out, record)
        return
    _extract_many(list(_files(paths)), table)


def _write_html(path: Path, record, html: Path, text: str) -> None:
    from pipeline.review_html import write_html

    try:
        write_html(path, record, html, text=text)
    except OSError as exc:
        _fail(f"{html}: cannot write the review page ({exc.strerror or exc})")
    _say("wrote", str(html))


def _extract_many(files: list[Path], table: bool) -> None:
    failed = 0
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        bar = progress.add_task("extracting", total=len(files))
        for path in files:
            try:
                record = _extract_one(path)
            except ReadError as exc:
                failed += 1
                _say("skipped:", str(exc))
            else:
                if table:
                    from pipeline.show import print_dispatch

                    print_dispatch(out, record)
                else:
                    sys.stdout.write(json.dumps(record.contract_json(), ensure_ascii=False) + "\n")
            progress.advance(bar)
    _say("done:", f"{len(files) - failed} extracted, {failed} skipped")
    if files and failed == len(files):
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold_dir: Path = typer.Argument(..., help="Folder of gold JSON files (texts in ../text)"),
    errors: bool = typer.Option(False, "--errors", help="List every miss by document"),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON"),
) -> None:
    """Score extraction against gold annotations (CONTRACT §3)."""
    from pipeline.evaluate import evaluate_dir, render_errors, render_report

    if not gold_dir.is_dir() or not any(gold_dir.glob("*.json")):
        _fail(f"{gold_dir}: not a folder of gold files (*.json)")
    report, docs = evaluate_dir(gold_dir, lambda p: _extract_one(p).contract_json())
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    render_report(report, out)
    if errors:
        render_errors(docs, out)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the extracted record."""
    from schemas import json_schema

    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
