"""The workbook's own wording: the instructions sheet and the notes of the xlwings.conf sheet."""

from __future__ import annotations

from odplan_xl import schema

XLWINGS_SHEET = "xlwings.conf"
# (Sub in the OdplanButtons module, Arabic caption) — the buttons on the cover and every section.
BUTTONS = (
    ("OdplanCheck", "التحقق من اكتمال الخطة"),
    ("OdplanGantt", "إنشاء مخطط غانت"),
    ("OdplanWord", "تصدير إلى Word"),
)
# The installation check, for IT's first run: on the cover only.
DIAGNOSE_BUTTON = ("OdplanDiagnose", "فحص التثبيت")

GUIDE_AR = (
    ("ما هذا المصنف؟",
     "هذا المصنف هو الصيغة الرقمية لنموذج «" + schema.TITLE_AR + "». يُخصَّص لكل قسم من أقسام النموذج "
     "ورقة مستقلة تحمل رقمه وعنوانه، وتحتوي على نص التوجيه الوارد في النموذج الرسمي ثم جدولا يُملأ "
     "سطرا بسطر. تُجمع هذه المعطيات لاحقا آليا للتحقق من اكتمال الخطة ورسم مخطط غانت وإعداد وثيقة Word."),
    ("كيفية التعبئة",
     "1. ابدأ بورقة «" + schema.COVER_SHEET + "»: اسم الهيكل وسنة الخطة والحالة والمسؤول المكلف بالبيانات "
     "المفتوحة وتاريخ الإعداد وتاريخ آخر تحديث، ثم فريق العمل المساهم في إعداد الخطة.\n"
     "2. في كل ورقة قسم، اكتب نشاطا واحدا (أو هدفا أو مجموعة بيانات…) في كل سطر من الجدول. لإضافة سطر، "
     "اكتب مباشرة تحت آخر سطر من الجدول أو اضغط على Tab في آخر خانة منه: يتوسع الجدول تلقائيا.\n"
     "3. الأعمدة ذات القائمة المنسدلة تُملأ بالاختيار من القائمة. التواريخ تُكتب بصيغة يوم/شهر/سنة "
     "(مثلا 15/03/2027) وتكون ضمن سنة الخطة المحددة في الغلاف. المبالغ بالدينار التونسي بثلاثة أرقام "
     "بعد الفاصل.\n"
     "4. إذا لم يكن لقسم ما أي نشاط هذه السنة، اترك جدوله فارغا واكتب السبب في خانة «"
     + schema.NA_LABEL_AR + "» أعلى الورقة.\n"
     "5. لا تغيّر عناوين أعمدة الجداول ولا أسماء الجداول، ولا تحذف الأوراق المخفية (lists و meta): "
     "بها يتعرف البرنامج على المعطيات. يمكن تغيير عرض الأعمدة وترتيب الأسطر بحرية."),
    ("متابعة التنفيذ خلال السنة",
     "في آخر جداول الأقسام 3 إلى 10 عمودان اختياريان لا يظهران في وثيقة الخطة: «"
     + schema.FOLLOW_UP_COLUMNS[0].ar + "» (" + " / ".join(schema.PROGRESS_STATES) + "؛ الخانة الفارغة تعني «"
     + schema.PROGRESS_PLANNED + "») و«" + schema.FOLLOW_UP_COLUMNS[1].ar + "». يُعدّ الأمر odplan-xl progress "
     "تقرير المتابعة منهما، ويبدأ الأمر odplan-xl next خطة السنة الموالية بالأنشطة غير المنجزة وغير الملغاة."),
    ("الأزرار",
     "في النسخة التي تحتوي على وحدات ماكرو (ملف ‎.xlsm‎) تظهر ثلاثة أزرار أعلى الغلاف وأعلى كل ورقة، ورابع في الغلاف:\n"
     "• «" + BUTTONS[0][1] + "»: يتثبت من الخانات الإلزامية والتواريخ والقيم، ويُنشئ ورقة «"
     + schema.REPORT_SHEET + "» تذكر كل نقص مع رابط إلى الخانة المعنية، ويلوّن الخانات المعنية.\n"
     "• «" + BUTTONS[1][1] + "»: يُنشئ ورقة «" + schema.GANTT_SHEET + "» تجمع كل الأنشطة المؤرخة حسب "
     "الأشهر.\n"
     "• «" + BUTTONS[2][1] + "»: يُعدّ وثيقة Word للخطة حسب النموذج الرسمي ويحفظها بجانب هذا الملف.\n"
     "• «" + DIAGNOSE_BUTTON[1] + "» (في الغلاف فقط): لفريق الإعلامية عند أول استعمال على حاسوب، يذكر "
     "إصدار Excel وبرنامج Python المستعمل وإصدارات الحزم، أو ما يجب تغييره إن لم يشتغل Python.\n"
     "تتطلب الأزرار تفعيل وحدات الماكرو وتثبيت Python مع الحزمة odplan-xl على الحاسوب (انظر ورقة «"
     + XLWINGS_SHEET + "»). دون ذلك يمكن تنفيذ نفس العمليات بالأمر odplan-xl check أو odplan-xl convert."),
)
GUIDE_FR = (
    "Mode d'emploi — Ce classeur est la version numérique du modèle de « " + schema.TITLE_FR + " ». "
    "Remplissez d'abord la couverture, puis une ligne par activité dans le tableau de chaque section "
    "(les listes déroulantes proposent les valeurs admises ; dates au format jj/mm/aaaa dans l'année "
    "du plan ; montants en dinars, trois décimales). Une section sans activité : laissez le tableau vide "
    "et indiquez le motif dans la cellule « " + schema.NA_LABEL_FR + " ». Ne renommez ni les en-têtes ni "
    "les tableaux. Les boutons du fichier .xlsm vérifient la complétude, créent le diagramme de Gantt et "
    "exportent le plan vers Word ; ils nécessitent Python et le paquet odplan-xl (voir la feuille "
    "xlwings.conf)."
)

# Rows of the xlwings.conf sheet: key (column A, read by xlwings' VBA from A1 down to the first
# empty cell), value (B), note in Arabic (C) and French (D), an example value (E). Booleans are
# text: the VBA compares them with True/False, and an empty value there would be a type mismatch,
# so every boolean key has a value.
XLWINGS_CONF = (
    ("INTERPRETER_WIN", "",
     "مسار برنامج pythonw.exe على Windows. إذا بقيت الخانة فارغة يُستعمل pythonw الموجود في PATH.",
     "Chemin de pythonw.exe sous Windows (vide : pythonw trouvé dans le PATH).",
     r"%LOCALAPPDATA%\Programs\Python\Python312\pythonw.exe"),
    ("INTERPRETER_MAC", "",
     "مسار برنامج python على macOS. إذا بقيت الخانة فارغة يُستعمل python الموجود في PATH.",
     "Chemin de python sous macOS (vide : python du PATH).", "/usr/local/bin/python3"),
    ("PYTHONPATH", "",
     "مجلدات إضافية يبحث فيها Python عن الحزم. غير ضرورية إذا ثُبّتت الحزمة بالأمر pip.",
     "Dossiers supplémentaires pour Python ; inutile si le paquet est installé avec pip.",
     r"C:\odplan\lib"),
    ("CONDA PATH", "", "مجلد Anaconda أو Miniconda إن وُجد (اختياري).",
     "Dossier d'Anaconda ou de Miniconda (facultatif).", r"C:\Users\agent\miniconda3"),
    ("CONDA ENV", "", "اسم بيئة conda (اختياري، مع CONDA PATH).",
     "Nom de l'environnement conda (facultatif, avec CONDA PATH).", "odplan"),
    ("UDF Modules", "", "غير مستعمل في هذا المصنف.", "Non utilisé par ce classeur.", ""),
    ("Debug UDFs", "False", "اترك القيمة False.", "Laisser False.", "False"),
    ("Use UDF Server", "False", "اترك القيمة False.", "Laisser False.", "False"),
    ("Show Console", "False", "ضع True لإظهار نافذة Python عند البحث عن سبب خلل.",
     "True affiche la console Python (dépannage).", "True"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", "True", "اترك القيمة True.", "Laisser True.", "True"),
)
XLWINGS_NOTE = (
    "تقرأ وحدات ماكرو xlwings الإعدادات من العمودين A و B أعلاه، من السطر الأول إلى أول خانة فارغة في "
    "العمود A: لا تُدرج أسطرا فارغة بينها. تستدعي الأزرار Python بالأمر RunPython، لذلك يجب أن تكون الحزمة "
    "odplan-xl[excel] مثبتة على برنامج Python المحدد هنا. تُعوَّض المتغيرات مثل %LOCALAPPDATA% بقيمتها.",
    "Les macros xlwings lisent les réglages des colonnes A et B ci-dessus, de la ligne 1 à la première "
    "cellule vide de la colonne A. Les boutons lancent Python par RunPython : le Python indiqué ici doit "
    "avoir le paquet odplan-xl[excel]. Les variables comme %LOCALAPPDATA% sont remplacées.",
)
