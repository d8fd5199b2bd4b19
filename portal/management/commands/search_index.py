"""``manage.py search_index``: make the search index again from the data (after an upgrade,
a restore, or a change to the analyser or its word list), reading every stored PDF."""

from collections import Counter

from django.core.management.base import BaseCommand

from portal import analyse, search_index
from portal.models import SearchWord


class Command(BaseCommand):
    help = "Byggjer søkjeindeksen på nytt frå dataa, med teksten i alle PDF-ane."

    def add_arguments(self, parser):
        parser.add_argument(
            "--background",
            action="store_true",
            help="Les PDF-ane i bakgrunnen (db_worker) i staden for no.",
        )
        parser.add_argument(
            "--compound-candidates",
            action="store_true",
            help="Skriv ut ord som står åleine og inne i lengre ord, men ikkje er i ordlista.",
        )

    def handle(self, *args, background, compound_candidates, **options):
        if compound_candidates:
            self._candidates()
            return
        counts = search_index.rebuild(documents=not background)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")

    def _candidates(self) -> None:
        """Words of the index that also occur at the start or the end of longer words: what
        compound_parts.txt may need, for a person to read through (not all are words that
        compounds should be split into)."""
        words = set(SearchWord.objects.values_list("word", flat=True))
        lemmas, _ = analyse._lexicon()
        inside: Counter = Counter()
        for word in words:
            for cut in range(analyse.MIN_HEAD, len(word) - analyse.MIN_HEAD + 1):
                for part in (word[:cut], word[cut:]):
                    if part in words and part not in lemmas and len(part) >= analyse.MIN_TAIL:
                        inside[part] += 1
        for word, count in inside.most_common(200):
            self.stdout.write(f"{word}\t{count}")
