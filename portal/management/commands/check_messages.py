"""Fail when a catalogue is stale: a new string not yet in it, a fuzzy match, a string no longer used, or
compiled .mo files that do not match their .po files. Danish must be complete; the parents' other
languages (Arabic, Ukrainian, …) may leave a string untranslated (it is shown in English), and
``tests/test_parent_languages.py`` holds the pages parents use most to being translated in each."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SOURCES = ["portal", "children", "expectations", "transitions", "templates", "locale"]
LANGUAGES = ["da", "ar", "uk", "tr", "pl", "so", "ti"]
COMPLETE = {"da"}


class Command(BaseCommand):
    help = "Check that locale/ is complete and current (needs GNU gettext); --update refreshes it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Write freshly extracted catalogues to locale/ (new strings untranslated) and compile.",
        )

    def handle(self, *args, **options):
        import polib

        if not shutil.which("xgettext") or not shutil.which("msgmerge"):
            if os.environ.get("CI"):
                raise CommandError("GNU gettext is needed for the catalogue check: apt-get install gettext")
            self.stderr.write("GNU gettext is not installed: skipping the catalogue check.")
            return
        base = Path(settings.BASE_DIR)
        problems = []
        with tempfile.TemporaryDirectory() as tmp:
            for name in SOURCES:
                if (base / name).exists():
                    shutil.copytree(
                        base / name, Path(tmp) / name, ignore=shutil.ignore_patterns("__pycache__")
                    )
            subprocess.run(
                [
                    sys.executable,
                    str(base / "manage.py"),
                    "makemessages",
                    "--no-obsolete",
                    "--no-location",
                    "-e",
                    "html,txt,py",
                    *[f"-l{lang}" for lang in LANGUAGES],
                ],
                cwd=tmp,
                check=True,
                capture_output=True,
            )
            if options["update"]:
                for lang in LANGUAGES:
                    target = base / "locale" / lang / "LC_MESSAGES"
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(
                        Path(tmp) / "locale" / lang / "LC_MESSAGES" / "django.po", target / "django.po"
                    )
                    subprocess.run(
                        ["msgfmt", "--check", "-o", str(target / "django.mo"), str(target / "django.po")],
                        check=True,
                    )
                    self.stdout.write(
                        f"Updated {target / 'django.po'}; translate entries without msgstr or fuzzy."
                    )
                return
            for lang in LANGUAGES:
                committed = polib.pofile(str(base / "locale" / lang / "LC_MESSAGES" / "django.po"))
                fresh = polib.pofile(str(Path(tmp) / "locale" / lang / "LC_MESSAGES" / "django.po"))
                key = lambda e: (e.msgctxt, e.msgid)  # noqa: E731
                new = {key(e) for e in fresh} - {key(e) for e in committed}
                gone = {key(e) for e in committed if not e.obsolete} - {key(e) for e in fresh}
                problems += [
                    f"{lang}: new string, run `make messages`: {m[1]!r}" for m in sorted(new, key=str)
                ]
                problems += [f"{lang}: string no longer used: {m[1]!r}" for m in sorted(gone, key=str)]
                if lang in COMPLETE:
                    untranslated = committed.untranslated_entries()
                    problems += [f"{lang}: untranslated: {e.msgid!r}" for e in untranslated]
                problems += [f"{lang}: fuzzy: {e.msgid!r}" for e in committed.fuzzy_entries()]
                mo_path = base / "locale" / lang / "LC_MESSAGES" / "django.mo"
                if not mo_path.exists():
                    problems.append(f"{lang}: django.mo is missing, run `make messages`")
                else:
                    compiled = {key(e): e.msgstr or e.msgstr_plural for e in polib.mofile(str(mo_path))}
                    source = {key(e): e.msgstr or e.msgstr_plural for e in committed.translated_entries()}
                    if {k: v for k, v in compiled.items() if k[1]} != source:
                        problems.append(f"{lang}: django.mo does not match django.po, run `make messages`")
        if problems:
            raise CommandError("The translation catalogue is stale:\n  " + "\n  ".join(problems[:50]))
        self.stdout.write("Translation catalogues are complete and current.")
