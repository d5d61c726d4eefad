"""Key dates: day-precision date expressions, resolved to calendar dates and given a kind.

Everything language-specific lives in ``nlp/data/<lang>/dates.yaml``: month and weekday names,
relative words, the date formats (regex templates over that vocabulary) and the cue phrases that
decide a date's kind. ``DateExtractor.load`` reads the file and compiles, per language:

* one date regex: the formats joined in one alternation. It opens with a character class of the
  characters a date can start with, so the engine skips through the text in its fast loop;
* one cue regex, run only over the clause around each date found;
* small anchored regexes for cues glued to the date ("by", "from", "まで", "까지"...).

Modules: ``rules`` reads the file and builds those regexes and the vocabulary tables;
``resolution`` turns one match into calendar dates against the publication date; ``extractor``
scans a text, drops the ends of ranges, gives each date its kind and keeps one mention per date.

Kinds, most specific first: deadline, commencement, hearing, published, event. A date takes the
kind of a cue glued to it, else of the nearest cue in its clause (a cue on the language's less
usual side of the date counts double distance; a cue between two dates goes to the nearer one),
else ``event``. A ``drop`` cue ("said on Monday") marks the day a statement was made: not kept.

Format groups (named in the YAML formats, renamed per format when compiled):
``day``/``day2``/``conn`` the day, a second day of a list or range and the word between them;
``month`` (a month name) or ``mnum`` (a month number); ``year`` (4 digits, or 2 where the language
says how to read them), ``era``/``eyear`` (Japanese era), ``roc`` (Republic of China year);
``n1``/``n2`` numeric day and month in either order; ``wd``/``wdmod`` a weekday and its modifier;
``rel`` a word relative to the publication date; ``chain`` a word relative to the previous date in
the text; ``dmod`` and ``mrel`` a day with no month ("지난 1일", "今月1日"); ``bday`` a bare day
with no word at all ("総務省は16日、", the news style for a day of the current month: the latest
such day on or before publication, or the coming one when a future cue stands in its clause);
``yrel`` a year word ("来年", "내년").

Keys of ``dates.yaml``:

* vocabulary: ``months`` and ``weekdays`` ({number: [names]}, Monday = 0), ``relative`` and
  ``chain`` ({word: days from the publication date / from the previous date}), ``eras``
  ({era: year before its first}), ``day_modifiers`` ({word: past|future}), ``month_modifiers``
  ({word: months from publication, or prev}), ``year_modifiers`` ({word: years}),
  ``weekday_modifiers`` and ``weekday_lead`` ({word: past|last|future|none}: a word the formats
  match with the weekday / the word right before a lone weekday), ``range_connectors`` and
  ``list_connectors`` ("25–30", "3 and 8");
* ``formats``: regex templates using the groups above and the placeholders {MONTH}, {WEEKDAY},
  {REL}, {CHAIN}, {ERA}, {DMOD}, {MREL}, {YREL}, {WDMOD}, {CONN}, {TIME} (``time``: a regex);
* ``gate_vocab`` (placeholders a format can open with) and ``gate_extra`` (literal words that can);
* cues: ``cues`` ({kind: [phrases]} anywhere in the clause; ``ignore`` phrases only block shorter
  ones, ``drop`` are speech verbs), ``prefix_cues`` and ``suffix_cues`` (glued to the date, with
  only ``fillers`` between), ``future_cues`` (turn a lone weekday forward), ``clause_breaks``;
* settings: ``word_boundary`` (false for Thai and CJK, where cues sit inside words), ``cue_side``
  (before|after), ``window`` (characters), ``sentence_end`` (regex), ``weekday_needs_lead``,
  ``relative_needs_cue`` ("today" needs a cue in its clause), ``two_digit_year`` (buddhist).
"""

from nlp.dates.extractor import KINDS, DateExtractor, DateMention

__all__ = ["KINDS", "DateExtractor", "DateMention"]
