"""The one exception for 'cannot continue', and the catalogue of its codes with Arabic and French messages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    code: str
    doc: str       # one line for the reference (English)
    ar: str        # str.format templates: {path} {sheet} {n} ...
    fr: str
    exit: int = 2  # the command's exit code when it stops on this error


_PASSWORD = ("الملف محمي بكلمة سر: احفظه دون كلمة سر ثم أعد المحاولة.",
             "Le classeur est protégé par mot de passe : enregistrez-le sans mot de passe puis réessayez.")

# Grouped by cause, as the reference lists them: the input file, the plan in it, the outputs, the run.
ERRORS: dict[str, ErrorCode] = {e.code: e for e in (
    # -- the input file
    ErrorCode("not-found", "The input file does not exist.", "الملف غير موجود.", "Fichier introuvable."),
    ErrorCode("not-a-file", "The input is a folder.", "هذا مجلد وليس ملفا.", "C'est un dossier, pas un fichier."),
    ErrorCode("empty-file", "The input file is empty.", "الملف فارغ.", "Le fichier est vide."),
    ErrorCode("file-too-big", "The input file is over the size limit (100 MB).",
              "حجم الملف يتجاوز الحد المسموح به (100 م.ب).", "Le fichier dépasse la taille autorisée (100 Mo)."),
    ErrorCode("password-protected", "The workbook is encrypted (Excel password or zip password).", *_PASSWORD),
    ErrorCode("old-format", "An Excel 97-2003 (.xls) workbook.",
              "صيغة Excel قديمة (.xls): افتح الملف واحفظه بصيغة .xlsx أو .xlsm.",
              "Ancien format Excel (.xls) : ouvrez-le et enregistrez-le en .xlsx ou .xlsm."),
    ErrorCode("opendocument", "An OpenDocument spreadsheet (.ods).",
              "ملف OpenDocument (.ods): احفظه بصيغة Excel (.xlsx) ثم أعد المحاولة.",
              "Fichier OpenDocument (.ods) : enregistrez-le au format Excel (.xlsx)."),
    ErrorCode("word-document", "A Word document was given where a workbook is expected.",
              "هذا مستند Word وليس مصنف Excel.", "C'est un document Word, pas un classeur Excel."),
    ErrorCode("not-a-workbook", "Not a zip package with a workbook part, or a damaged or truncated one.",
              "الملف ليس مصنف Excel (.xlsx أو .xlsm) أو أنه تالف أو مقتطع.",
              "Le fichier n'est pas un classeur Excel (.xlsx ou .xlsm), ou il est endommagé ou tronqué."),
    ErrorCode("too-many-parts", "The zip directory is abnormally large (a denial-of-service guard).",
              "يحتوي الملف المضغوط على عدد غير طبيعي من الأجزاء: رُفض لحماية الجهاز.",
              "Le fichier compressé contient un nombre anormal de parties : fichier refusé."),
    ErrorCode("zip-bomb", "The uncompressed content is abnormally large (a zip bomb guard).",
              "محتوى الملف المضغوط كبير بشكل غير طبيعي: رُفض لحماية الجهاز.",
              "Le contenu compressé est anormalement volumineux : fichier refusé."),
    ErrorCode("part-too-big", "One part of the package is over the per-part limit.",
              "جزء من الملف ({part}) كبير جدا ({mb} م.ب، والحد {limit} م.ب): رُفض لحماية الجهاز.",
              "Une partie du fichier ({part}) est trop grande ({mb} Mo, limite {limit} Mo) : fichier refusé."),
    ErrorCode("unsafe-parser", "defusedxml is missing or disabled: files are not read unprotected.",
              "لا يمكن قراءة الملف بأمان: مكتبة defusedxml غير مثبتة أو معطلة (OPENPYXL_DEFUSEDXML). "
              "ثبّتها أو أزل هذا الإعداد.",
              "Lecture non sécurisée impossible : defusedxml est absent ou désactivé (OPENPYXL_DEFUSEDXML). "
              "Installez-le ou retirez ce réglage."),
    ErrorCode("unsafe-xml", "A part declares XML entities (refused: memory and file-disclosure attacks).",
              "رُفض الملف: يحتوي على تعريفات كيانات XML، وهي ممنوعة لأسباب أمنية "
              "(قد تُستعمل لإغراق الذاكرة أو لقراءة ملفات الجهاز).",
              "Fichier refusé : il déclare des entités XML, interdites par sécurité "
              "(elles servent à saturer la mémoire ou à lire des fichiers locaux)."),
    ErrorCode("damaged-workbook", "A part of the workbook cannot be parsed.",
              "تعذرت قراءة المصنف: الملف تالف ({kind}).", "Lecture impossible : classeur endommagé ({kind})."),
    ErrorCode("not-a-docx", "Not a Word document (.docx), or a damaged or truncated one.",
              "الملف ليس مستند Word ‏(.docx) أو أنه تالف أو مقتطع.",
              "Le fichier n'est pas un document Word (.docx), ou il est endommagé ou tronqué."),
    ErrorCode("workbook-not-document", "A workbook given where a Word document is read (import).",
              "الملف {name} مصنف Excel وليس وثيقة Word: الأمر import يقرأ خطة مكتوبة في Word ‏(.docx). "
              "للتثبت من مصنف استعمل الأمر check.",
              "Le fichier {name} est un classeur Excel, pas un document Word : import lit un plan écrit dans "
              "Word (.docx). Pour vérifier un classeur, utilisez la commande check."),
    ErrorCode("old-word-format", "A Word 97-2003 (.doc) document.",
              "صيغة Word قديمة (.doc): افتح الوثيقة في Word واحفظها بصيغة .docx ثم أعد المحاولة.",
              "Ancien format Word (.doc) : ouvrez-le dans Word, enregistrez-le en .docx puis réessayez."),
    # -- the plan in the file
    ErrorCode("foreign-workbook", "A workbook with none of the template's tables or cover fields.",
              "هذا المصنف ليس نموذج الخطة السنوية لأنشطة البيانات المفتوحة: لم يتم العثور على أي من جداوله. "
              "استعمل النموذج الذي ينشئه الأمر odplan-xl new.",
              "Ce classeur n'est pas le modèle du plan annuel des données ouvertes : aucun de ses tableaux "
              "n'a été trouvé. Utilisez le modèle créé par « odplan-xl new »."),
    ErrorCode("not-a-plan", "A Word document in which none of the plan's sections was found (a letter, a report).",
              "هذه الوثيقة ليست خطة سنوية لأنشطة البيانات المفتوحة: لم يتم العثور فيها على أقسام النموذج الرسمي "
              "(1. أهداف وأولويات الخطة، 2. تحديد فريق العمل، …).",
              "Ce document n'est pas un plan annuel des données ouvertes : aucune des sections du modèle "
              "officiel (1. Objectifs et priorités, 2. Équipe…) n'y a été trouvée."),
    ErrorCode("too-many-rows", "A section table has more rows than any annual plan could.",
              "الجدول في الورقة «{sheet}» يحتوي على أكثر من {n} سطر: هذا غير معقول لخطة سنوية.",
              "Le tableau de la feuille « {sheet} » dépasse {n} lignes : refusé."),
    ErrorCode("no-plan-year", "The next plan was asked of a plan without a valid year, and no --year given.",
              "سنة الخطة غير محددة في الغلاف: حدّد سنة الخطة الجديدة بالخيار --year.",
              "L'année du plan n'est pas renseignée : indiquez l'année du nouveau plan avec --year."),
    ErrorCode("bad-base", "The --base letterhead is not a usable .docx.",
              "تعذّر استعمال الوثيقة الأساسية {name}: ليست ملف Word ‏(.docx) صالحا.",
              "Le document de base {name} n'est pas un fichier Word (.docx) valide."),
    # -- the outputs
    ErrorCode("output-exists", "The output exists and overwriting was not asked for (--force).",
              "الملف موجود مسبقا: {path} (استعمل ‎--force‎ لاستبداله)",
              "Le fichier existe déjà : {path} (utilisez --force pour le remplacer)"),
    ErrorCode("output-is-input", "The output would replace an input file.",
              "ملف الإخراج هو نفسه ملف الإدخال: {path}", "Le fichier de sortie est le fichier d'entrée : {path}"),
    ErrorCode("bad-output-name", "A Word output whose name does not end in .docx.",
              "يجب أن ينتهي اسم ملف Word بـ ‎.docx‎: {name}، مثلا: {suggestion}",
              "Le fichier Word doit se terminer par .docx : {name}, par exemple : {suggestion}"),
    ErrorCode("output-extension", "A workbook output whose extension does not fit (.xlsx/.xlsm, macros).",
              "اسم ملف الإخراج غير مناسب: {name}. {why_ar}", "Nom de fichier de sortie inadapté : {name}. {why_fr}"),
    ErrorCode("catalogue-extension", "A catalogue output whose name does not end in .jsonld, .jsonl or .csv.",
              "يجب أن ينتهي اسم ملف الفهرس بـ ‎.jsonld‎ أو ‎.jsonl‎ أو ‎.csv‎: {name}، مثلا: {suggestion}",
              "Le catalogue doit se terminer par .jsonld, .jsonl ou .csv : {name}, par exemple : {suggestion}"),
    ErrorCode("vba-needs-xlsm", "A workbook with buttons (macros) must be an .xlsm.",
              "وحدات الماكرو تتطلب ملفا بامتداد ‎.xlsm‎", "Un classeur avec macros doit avoir l'extension .xlsm"),
    ErrorCode("xlsm-needs-vba", "An .xlsm must carry the VBA project.",
              "لا يمكن إنشاء ملف ‎.xlsm‎ دون وحدات الماكرو", "Un fichier .xlsm doit contenir le projet VBA"),
    ErrorCode("vba-missing", "The package's VBA project (vbaProject.bin) is missing.",
              "مشروع وحدات الماكرو غير موجود: ابن vbaProject.bin أولا",
              "Projet VBA absent : construire d'abord vbaProject.bin"),
    ErrorCode("cannot-copy-workbook", "openpyxl cannot rewrite the workbook to add a sheet to a copy.",
              "تعذر إنشاء نسخة من المصنف لإضافة ورقة إليه: جزء من الملف غير سليم ({kind}). "
              "افتح الملف في Excel واحفظه من جديد ثم أعد المحاولة.",
              "Impossible de recopier le classeur pour y ajouter une feuille : une partie du fichier est "
              "invalide ({kind}). Ouvrez-le dans Excel, enregistrez-le puis réessayez."),
    ErrorCode("output-locked", "The file is open in another program (Word, Excel) that locks it.",
              "الملف مفتوح في برنامج آخر يمنع استعماله: {path}\nأغلق الملف في Word أو Excel ثم أعد المحاولة.",
              "Le fichier est ouvert dans un autre programme qui le verrouille : {path}\nFermez-le dans Word ou "
              "Excel puis réessayez."),
    # -- the operating system, at a read or a write
    ErrorCode("write-denied", "No permission to write in the output's folder.",
              "ليست لديك صلاحية الكتابة في المجلد: {path}\nاختر مجلدا آخر (الخيار ‎-o‎) أو اطلب صلاحية الكتابة فيه.",
              "Vous n'avez pas le droit d'écrire dans le dossier : {path}\nChoisissez un autre dossier (option -o) "
              "ou demandez ce droit."),
    ErrorCode("read-denied", "No permission to read an input file.",
              "ليست لديك صلاحية قراءة الملف: {path}\nاطلب صلاحية قراءته أو انسخه إلى مجلدك ثم أعد المحاولة.",
              "Vous n'avez pas le droit de lire le fichier : {path}\nDemandez ce droit ou copiez-le dans votre "
              "dossier, puis réessayez."),
    ErrorCode("read-only", "The output's place is read-only (a protected disk, a read-only share).",
              "لا يمكن الكتابة هنا: المكان للقراءة فقط (قرص محمي أو مجلد مشترك للقراءة فقط): {path}\n"
              "اختر مجلدا آخر (الخيار ‎-o‎).",
              "Écriture impossible : l'emplacement est en lecture seule (disque protégé, partage en lecture "
              "seule) : {path}\nChoisissez un autre dossier (option -o)."),
    ErrorCode("disk-full", "The disk is full, or the user's quota is used up.",
              "لا توجد مساحة كافية على القرص (أو نفدت الحصة المخصصة لك) لكتابة: {path}\n"
              "حرّر بعض المساحة أو اختر قرصا آخر ثم أعد المحاولة. لم يُترك أي ملف ناقص.",
              "Disque plein (ou quota épuisé) pour écrire : {path}\nLibérez de la place ou choisissez un autre "
              "disque, puis réessayez. Aucun fichier partiel n'a été laissé."),
    ErrorCode("folder-in-the-way", "A folder stands where the output file is to be written.",
              "يوجد مجلد بهذا الاسم في مكان الملف المطلوب: {path}\nاختر اسما آخر للملف أو انقل المجلد.",
              "Un dossier porte ce nom à la place du fichier à écrire : {path}\nChoisissez un autre nom ou "
              "déplacez le dossier."),
    ErrorCode("file-in-the-way", "A file stands where a folder is expected (the output folder or one of its "
              "parents).",
              "يوجد ملف بهذا الاسم في مكان المجلد المطلوب: {path}\nاختر مجلدا آخر أو غيّر اسم هذا الملف.",
              "Un fichier porte ce nom à la place du dossier attendu : {path}\nChoisissez un autre dossier ou "
              "renommez ce fichier."),
    ErrorCode("folder-missing", "The output's folder does not exist (a removed folder, an absent drive).",
              "المجلد غير موجود: {path}\nأنشئه أو اختر مجلدا موجودا ثم أعد المحاولة.",
              "Dossier introuvable : {path}\nCréez-le ou choisissez un dossier existant, puis réessayez."),
    ErrorCode("name-too-long", "A file name or path longer than the file system allows.",
              "اسم الملف أو مساره أطول مما يسمح به النظام: {path}\nاختر اسما أقصر أو مجلدا أقرب إلى جذر القرص.",
              "Nom ou chemin de fichier trop long pour le système : {path}\nChoisissez un nom plus court ou un "
              "dossier plus proche de la racine."),
    ErrorCode("read-failed", "Another operating-system fault while reading an input.",
              "تعذرت قراءة الملف: {path} ({reason}).\nتحقق من الملف أو من القرص ثم أعد المحاولة.",
              "Lecture impossible : {path} ({reason}).\nVérifiez le fichier ou le disque, puis réessayez."),
    ErrorCode("write-failed", "Another operating-system fault while writing an output.",
              "تعذرت الكتابة: {path} ({reason}).\nتحقق من القرص أو اختر مجلدا آخر ثم أعد المحاولة.",
              "Écriture impossible : {path} ({reason}).\nVérifiez le disque ou choisissez un autre dossier, puis "
              "réessayez."),
    # -- the run
    ErrorCode("no-inputs", "Batch or national found no workbook in its inputs.",
              "لم يتم العثور على أي مصنف (.xlsx أو .xlsm) في المدخلات.",
              "Aucun classeur (.xlsx ou .xlsm) trouvé dans les entrées."),
    ErrorCode("workers-fail", "Worker processes (batch, national) die at start-up (a script without a __main__ "
              "guard).",
              "تتوقف عمليات التحويل المتوازية فور انطلاقها. إذا استُدعي التحويل الجماعي من برنامج Python، "
              "فيجب أن يكون الاستدعاء داخل الشرط if __name__ == \"__main__\":",
              "Les processus de conversion s'arrêtent dès leur lancement. Un script Python qui appelle la "
              "conversion par lot doit le faire sous if __name__ == \"__main__\":"),
    ErrorCode("no-libreoffice", "A PDF was asked for and LibreOffice is not installed.",
              "لا يمكن إنشاء ملف PDF: برنامج LibreOffice غير مثبت على هذا الجهاز. ثبّته أو حدّد مساره في "
              "المتغير ODPLAN_SOFFICE، أو أعد التحويل دون طلب PDF.",
              "Impossible de créer le PDF : LibreOffice n'est pas installé sur cette machine. Installez-le, "
              "indiquez son chemin dans la variable ODPLAN_SOFFICE, ou convertissez sans demander de PDF."),
    ErrorCode("pdf-timeout", "LibreOffice did not finish the PDF in time.",
              "توقف LibreOffice عن العمل بعد {seconds} ثانية دون إتمام ملف PDF.",
              "LibreOffice n'a pas terminé le PDF en {seconds} s."),
    ErrorCode("pdf-failed", "LibreOffice produced no PDF.",
              "لم ينتج LibreOffice أي ملف PDF من {name}.", "LibreOffice n'a produit aucun PDF à partir de {name}."),
    ErrorCode("worker-crashed", "A worker process died twice on the same plan (batch, national: that plan "
              "only, the others go on).",
              "توقفت عملية التحويل فجأة أثناء معالجة هذا الملف مرتين (نفاد الذاكرة؟).",
              "Le processus de conversion s'est arrêté net deux fois sur ce fichier (mémoire épuisée ?)."),
    ErrorCode("internal-error", "An unexpected error: a bug of odplan-xl (exit 3; batch and national record it "
              "for that plan and go on).",
              "خطأ داخلي غير متوقع ({name}): {detail}\nالرجاء إبلاغ فريق odplan-xl مع الملف المعني.",
              "Erreur interne inattendue ({name}) : {detail}\nMerci de la signaler à l'équipe odplan-xl avec le "
              "fichier concerné.", exit=3),
    ErrorCode("word-in-lite", "The Word export was asked for in xlwings Lite, which cannot write files.",
              "التصدير إلى Word غير متاح في xlwings Lite لأنه لا يستطيع الكتابة في ملفات الحاسوب. "
              "استعمل زر «تصدير إلى Word» في Excel المثبت عليه Python، أو الأمر odplan-xl convert.",
              "L'export Word n'est pas disponible dans xlwings Lite, qui ne peut pas écrire de fichiers sur "
              "l'ordinateur. Utilisez le bouton d'Excel avec Python installé, ou « odplan-xl convert »."),
)}

# Exit codes of the command line (README lists them; tests keep the two in step).
EXIT_CODES: dict[int, str] = {
    0: "done: the plan is complete (check; batch and national: every plan), the file is written (convert "
       "without --strict: the document shows the plan's gaps; gantt, new, example, datasets, progress, next), every "
       "piece placed (import), nothing changed (diff)",
    1: "the plan has errors (check, convert --strict; batch and national: some plans; batch: some documents "
       "could not be written, others were); import: some text unplaced; diff: the versions differ",
    2: "cannot continue: a file cannot be read or written, or the command is mistyped (see docs/errors.md); "
       "batch and national: some plans could not be read, or no document could be written",
    3: "internal error (a bug: please report it with the file)",
    130: "interrupted (Ctrl-C)",
}


class OdplanError(Exception):
    """A file cannot be used at all (not a workbook, protected, foreign template, too big...).

    Raised deep inside with a code of ERRORS and the values its messages need, caught only at the
    edges (CLI, Excel buttons, batch), always shown as its message, never as a traceback.
    """

    def __init__(self, code: str, *, where: str | None = None, **params: object):
        spec = ERRORS[code]
        self.code, self.where, self.params = code, where, params
        self.exit_code = spec.exit
        self.ar, self.fr = spec.ar.format(**params), spec.fr.format(**params)
        super().__init__(f"{code}: {self.fr}")

    def message(self, lang: str = "ar") -> str:
        text = self.ar if lang == "ar" else self.fr
        return f"{text} ({self.where})" if self.where else text

    def reason(self) -> dict[str, str]:
        """The error as a record's reason (batch, national rows): its code and message in both languages."""
        return {"code": self.code, "ar": self.message("ar"), "fr": self.message("fr")}


def internal_error(exc: BaseException | str) -> OdplanError:
    """Our bug as a catalogue error (exit 3): an exception, or its "Type: message" sent by a worker."""
    if isinstance(exc, BaseException):
        name, detail = type(exc).__name__, str(exc)
    else:
        name, _, detail = exc.partition(": ")
    return OdplanError("internal-error", name=name, detail=detail[:500])


def reason(code: str, **params: object) -> dict[str, str]:
    """A catalogue entry as a record's reason, for what is not raised (a worker that crashed)."""
    return OdplanError(code, **params).reason()


def reference_markdown() -> str:
    """The reference of 'cannot continue' codes, generated from the catalogue (docs/errors.md)."""
    lines = ["# Errors that stop a command", "",
             "Generated by `odplan-xl errors`; do not edit by hand. Each is shown as its message (never a",
             "traceback) and the command exits with the code given (2: cannot continue, 3: our bug).", "",
             "| code | exit | meaning | message (ar) | message (fr) |", "|---|---|---|---|---|"]
    for e in ERRORS.values():
        ar, fr = (t.replace("\n", " ") for t in (e.ar, e.fr))
        lines.append(f"| `{e.code}` | {e.exit} | {e.doc} | {ar} | {fr} |")
    lines += ["", "## Exit codes", "", "| code | meaning |", "|---|---|"]
    lines += [f"| {code} | {meaning} |" for code, meaning in EXIT_CODES.items()]
    return "\n".join(lines) + "\n"
