"""The suggested library of things to do at home: concrete, plain words, Danish and English.

Each activity has an age range in whole years, a curriculum theme or a school subject, the competences
it builds, and, for language activities, the language assessment results it suits (``results``). An
activity with ``any_language`` can be done in whatever language the family speaks at home.
"""

ALL = ("general", "focused", "special")


def _a(code, ages, title, text, *, theme="", subject="", competences=(), results=(), any_language=True):
    return {
        "code": code,
        "ages": ages,
        "title": title,
        "text": text,
        "theme": theme,
        "subject": subject,
        "competences": competences,
        "results": results,
        "any_language": any_language,
    }


ACTIVITIES = [
    # --- Communication and language ----------------------------------------------------------------
    _a(
        "read-aloud-pictures",
        (1, 6),
        ("Læs højt og tal om billederne", "Read aloud and talk about the pictures"),
        (
            "Læs en billedbog sammen hver dag. Peg på billederne, sig hvad I ser, og spørg: »Hvad tror "
            "du, der sker nu?« Læs gerne på det sprog, I taler bedst derhjemme.",
            "Read a picture book together every day. Point at the pictures, say what you see and ask: "
            "“What do you think happens next?” Read in the language you speak best at home.",
        ),
        theme="language",
        competences=("curiosity",),
        results=ALL,
    ),
    _a(
        "words-for-everyday",
        (0, 5),
        ("Sæt ord på hverdagen", "Put words to everyday life"),
        (
            "Fortæl, hvad I gør, mens I gør det: »Nu skærer vi agurken i skiver.« Brug mange forskellige "
            "ord, og giv barnet tid til at svare.",
            "Say what you are doing while you do it: “Now we slice the cucumber.” Use many different "
            "words, and give your child time to answer.",
        ),
        theme="language",
        competences=("curiosity",),
        results=ALL,
    ),
    _a(
        "songs-and-rhymes",
        (0, 6),
        ("Syng sange og rim", "Sing songs and rhymes"),
        (
            "Syng de samme sange og rim mange gange, gerne med fagter. Hold en pause før det sidste ord, "
            "og lad barnet sige det.",
            "Sing the same songs and rhymes many times, with hand movements. Pause before the last word "
            "and let your child say it.",
        ),
        theme="language",
        competences=("automation",),
        results=ALL,
    ),
    _a(
        "own-language",
        (0, 8),
        ("Tal jeres eget sprog", "Speak your own language"),
        (
            "Tal det sprog med dit barn, som du kender bedst. Et stærkt modersmål gør det lettere at "
            "lære dansk.",
            "Speak the language you know best with your child. A strong first language makes it easier "
            "to learn Danish.",
        ),
        theme="language",
        competences=("curiosity",),
        results=ALL,
    ),
    _a(
        "word-of-the-day",
        (3, 8),
        ("Dagens ord", "Word of the day"),
        (
            "Vælg et nyt ord hver dag, fx »glat«, »tung« eller »under«. Find det sammen i løbet af dagen, "
            "og brug det mange gange.",
            "Pick a new word each day, such as “smooth”, “heavy” or “under”. Find it together during the "
            "day and use it many times.",
        ),
        theme="language",
        competences=("curiosity", "automation"),
        results=("focused", "special"),
    ),
    _a(
        "dialogic-reading",
        (2, 6),
        ("Læs og spørg", "Read and ask"),
        (
            "Læs den samme bog flere gange. Stil spørgsmål, gentag barnets svar i en lidt længere "
            "sætning og ros: »Ja, hunden løber. Den løber hurtigt hjem.«",
            "Read the same book several times. Ask questions, repeat your child's answer in a slightly "
            "longer sentence and praise: “Yes, the dog runs. It runs home fast.”",
        ),
        theme="language",
        competences=("persistence",),
        results=("focused", "special"),
    ),
    _a(
        "supermarket-talk",
        (2, 6),
        ("Snak i supermarkedet", "Talk in the supermarket"),
        (
            "Lad barnet finde varer og sige, hvad de hedder. Tal om farver, former og antal: »Kan du "
            "finde tre gulerødder?«",
            "Let your child find things and say their names. Talk about colours, shapes and numbers: "
            "“Can you find three carrots?”",
        ),
        theme="language",
        competences=("self-regulation",),
        results=("general", "focused"),
    ),
    _a(
        "daycare-songs",
        (2, 6),
        ("Syng institutionens sange derhjemme", "Sing the daycare's songs at home"),
        (
            "Bed personalet om teksterne til de sange, børnene synger. Syng dem derhjemme, så barnet "
            "lærer de danske ord.",
            "Ask the staff for the words of the songs the children sing. Sing them at home so your "
            "child learns the Danish words.",
        ),
        theme="language",
        competences=("automation",),
        results=("focused", "special"),
        any_language=False,
    ),
    _a(
        "photo-story",
        (4, 8),
        ("Fortæl en historie med fotos", "Tell a story with photos"),
        (
            "Tag fire billeder på telefonen i løbet af jeres dag. Lad barnet fortælle, hvad der skete: "
            "først, så, til sidst.",
            "Take four photos on your phone during your day. Let your child tell what happened: first, "
            "then, last.",
        ),
        theme="language",
        competences=("curiosity",),
        results=("general", "focused"),
    ),
    _a(
        "library-visit",
        (2, 12),
        ("Besøg biblioteket", "Visit the library"),
        (
            "Gå på biblioteket sammen, og lad barnet vælge bøger. Spørg bibliotekaren om bøger på jeres "
            "eget sprog.",
            "Go to the library together and let your child choose books. Ask the librarian for books in "
            "your own language.",
        ),
        theme="language",
        competences=("curiosity",),
        results=ALL,
    ),
    _a(
        "rhyme-games",
        (4, 7),
        ("Rimlege og klap stavelser", "Rhyming and clapping syllables"),
        (
            "Find ord, der rimer: hus, mus, lus. Klap stavelserne i barnets navn: Mo-ham-med, E-mil.",
            "Find words that rhyme: cat, hat, mat. Clap the syllables of your child's name: Mo-ham-med, "
            "E-mil.",
        ),
        theme="language",
        subject="danish",
        competences=("automation",),
        results=("focused", "special"),
        any_language=False,
    ),
    _a(
        "table-talk",
        (2, 16),
        ("Snak ved spisebordet", "Talk at the table"),
        (
            "Sluk skærmene ved aftensmaden. Spørg: »Hvad var det bedste i dag?«, og fortæl selv om din dag.",
            "Turn off screens at dinner. Ask: “What was the best thing today?” and tell about your own day.",
        ),
        theme="language",
        competences=("good-manners",),
        results=("general",),
    ),
    _a(
        "draw-and-tell",
        (2, 8),
        ("Tegn og fortæl", "Draw and tell"),
        (
            "Tegn sammen, og lad barnet fortælle om tegningen. Skriv barnets ord under, og hæng den op.",
            "Draw together and let your child tell you about the drawing. Write their words underneath "
            "and hang it up.",
        ),
        theme="culture",
        competences=("curiosity",),
        results=("general", "focused"),
    ),
    # --- Comprehensive personal development --------------------------------------------------------
    _a(
        "feelings-faces",
        (2, 6),
        ("Følelsesansigter", "Feelings faces"),
        (
            "Lav glade, vrede og triste ansigter i spejlet sammen. Tal om, hvornår man har det sådan, og "
            "hvad der hjælper.",
            "Make happy, angry and sad faces in the mirror together. Talk about when you feel like that, "
            "and what helps.",
        ),
        theme="personal",
        competences=("self-regulation",),
        results=("general",),
    ),
    _a(
        "candle-breathing",
        (3, 9),
        ("Pust lyset ud", "Blow out the candle"),
        (
            "Når barnet er oprevet: lad som om I puster et lys ud, langsomt, fem gange. Øv det, når I "
            "har det godt, så det virker, når det gælder.",
            "When your child is upset, pretend to blow out a candle, slowly, five times. Practise when "
            "things are fine, so it works when it matters.",
        ),
        theme="personal",
        competences=("self-regulation",),
    ),
    _a(
        "dress-yourself",
        (2, 5),
        ("Tag selv tøj på", "Getting dressed alone"),
        (
            "Læg tøjet frem i rækkefølge, og lad barnet selv tage det på. Hjælp kun med det sidste svære "
            "stykke.",
            "Lay out the clothes in order and let your child put them on alone. Help only with the last "
            "hard bit.",
        ),
        theme="personal",
        competences=("automation", "persistence"),
    ),
    _a(
        "waiting-timer",
        (3, 7),
        ("Vent med et æggeur", "Waiting with a timer"),
        (
            "Brug et æggeur: »Når det ringer, er det din tur.« Begynd med et minut, og gør det lidt "
            "længere hver gang.",
            "Use an egg timer: “When it rings, it is your turn.” Start with one minute and make it a bit "
            "longer each time.",
        ),
        theme="personal",
        competences=("delaying-gratification",),
    ),
    _a(
        "helping-at-home",
        (3, 16),
        ("En fast opgave derhjemme", "A regular job at home"),
        (
            "Giv barnet en fast opgave, fx at dække bord eller fodre katten. Sig tak for hjælpen.",
            "Give your child a regular job, such as laying the table or feeding the cat. Say thank you "
            "for the help.",
        ),
        theme="personal",
        competences=("good-manners", "automation"),
    ),
    _a(
        "bedtime-routine",
        (0, 12),
        ("Faste sengetider", "Regular bedtimes"),
        (
            "Gå i seng på samme tid hver aften med de samme trin: bad, tænder, bog, godnat.",
            "Go to bed at the same time every evening with the same steps: bath, teeth, book, goodnight.",
        ),
        theme="personal",
        competences=("self-regulation", "automation"),
    ),
    _a(
        "homework-plan",
        (10, 16),
        ("Ugeplan for lektier", "A weekly homework plan"),
        (
            "Sæt jer sammen søndag, og lav en plan for ugens lektier og fritid. Kig på planen igen midt "
            "på ugen.",
            "Sit down together on Sunday and plan the week's homework and free time. Look at the plan "
            "again in the middle of the week.",
        ),
        theme="personal",
        competences=("self-regulation", "persistence", "delaying-gratification"),
    ),
    _a(
        "jobs-and-education",
        (12, 16),
        ("Tal om job og uddannelse", "Talk about jobs and education"),
        (
            "Fortæl om dit arbejde, og spørg familie og venner om deres. Besøg en arbejdsplads eller en "
            "uddannelse sammen.",
            "Tell about your job, and ask family and friends about theirs. Visit a workplace or a place "
            "of study together.",
        ),
        theme="personal",
        competences=("curiosity",),
    ),
    # --- Social development ------------------------------------------------------------------------
    _a(
        "new-play-date",
        (3, 9),
        ("Legeaftale med en ny ven", "A play date with a new friend"),
        (
            "Inviter et barn fra gruppen, som jeres barn ikke kender så godt endnu. Det gør fællesskabet "
            "stærkere for alle.",
            "Invite a child from the group whom your child does not know well yet. It makes the group "
            "stronger for everyone.",
        ),
        theme="social",
        competences=("good-manners",),
    ),
    _a(
        "learn-the-names",
        (2, 7),
        ("Lær navnene i gruppen", "Learn the names in the group"),
        (
            "Sig navnene på de andre børn og voksne, når I afleverer og henter. Tal om, hvem barnet "
            "legede med.",
            "Say the names of the other children and adults when you drop off and pick up. Talk about "
            "whom your child played with.",
        ),
        theme="social",
        competences=("good-manners",),
        results=("general", "focused"),
    ),
    _a(
        "board-game",
        (3, 10),
        ("Spil et brætspil", "Play a board game"),
        (
            "Spil et enkelt spil som ludo eller vendespil. Øv at vente på tur og at tabe og vinde pænt.",
            "Play a simple game like ludo or memory. Practise waiting for your turn, and losing and "
            "winning nicely.",
        ),
        theme="social",
        competences=("delaying-gratification", "robustness"),
    ),
    _a(
        "kind-online",
        (9, 16),
        ("God tone på nettet", "Being kind online"),
        (
            "Kig sammen på en chat eller et spil, barnet bruger. Tal om, hvordan man skriver pænt, og "
            "hvad man gør, hvis nogen er uvenlige.",
            "Look together at a chat or game your child uses. Talk about how to write kindly, and what "
            "to do if someone is unkind.",
        ),
        theme="social",
        competences=("good-manners", "self-regulation"),
    ),
    # --- Body, senses and movement -----------------------------------------------------------------
    _a(
        "tummy-time",
        (0, 1),
        ("Leg på maven", "Tummy time"),
        (
            "Læg dit barn på maven på et tæppe med et stykke legetøj lige uden for rækkevidde. Lad det "
            "strække sig og prøve.",
            "Lay your baby on their tummy on a blanket with a toy just out of reach. Let them stretch "
            "and try.",
        ),
        theme="body",
        competences=("persistence", "curiosity"),
    ),
    _a(
        "obstacle-course",
        (2, 7),
        ("Forhindringsbane i stuen", "An obstacle course in the living room"),
        (
            "Byg en bane med puder, stole og et tæppe. Kravl under, hop over, gå på line. Sig ordene: "
            "over, under, igennem.",
            "Build a course with cushions, chairs and a blanket. Crawl under, jump over, balance. Say "
            "the words: over, under, through.",
        ),
        theme="body",
        competences=("persistence",),
        results=("general", "focused"),
    ),
    _a(
        "learn-to-cycle",
        (3, 8),
        ("Øv at cykle", "Practise cycling"),
        (
            "Øv lidt hver dag på løbecykel eller cykel. Falde og prøve igen: det er sådan, man lærer det.",
            "Practise a little every day on a balance bike or a bicycle. Falling and trying again is how "
            "you learn.",
        ),
        theme="body",
        competences=("persistence", "robustness"),
    ),
    _a(
        "walk-to-school",
        (6, 12),
        ("Gå eller cykl til skole", "Walk or cycle to school"),
        (
            "Gå eller cykl sammen til skole, og øv vejen og trafikreglerne, til barnet kan klare det selv.",
            "Walk or cycle to school together and practise the route and the traffic rules until your "
            "child can manage alone.",
        ),
        theme="body",
        competences=("automation", "self-regulation"),
    ),
    _a(
        "freeze-dance",
        (1, 6),
        ("Stopdans", "Musical statues"),
        (
            "Sæt musik på og dans. Stå helt stille, når musikken stopper, og dans igen, når den starter.",
            "Put on music and dance. Stand quite still when the music stops, and dance again when it starts.",
        ),
        theme="body",
        competences=("self-regulation",),
    ),
    # --- Nature, outdoor life and science ----------------------------------------------------------
    _a(
        "nature-walk",
        (1, 9),
        ("På opdagelse i naturen", "Exploring nature"),
        (
            "Gå en tur i skoven eller parken. Saml blade, sten eller kogler, og tal om, hvad I finder.",
            "Take a walk in the woods or the park. Collect leaves, stones or cones, and talk about what "
            "you find.",
        ),
        theme="nature",
        competences=("curiosity",),
        results=("general", "focused"),
    ),
    _a(
        "sow-a-seed",
        (3, 9),
        ("Så et frø", "Sow a seed"),
        (
            "Så karse eller en bønne i en potte. Lad barnet vande den og se efter hver dag, hvad der sker.",
            "Sow cress or a bean in a pot. Let your child water it and check every day what happens.",
        ),
        theme="nature",
        competences=("persistence", "delaying-gratification"),
    ),
    _a(
        "weather-today",
        (3, 7),
        ("Dagens vejr", "Today's weather"),
        (
            "Kig ud om morgenen, og tal om vejret: Er det koldt, vådt eller blæsende? Hvad skal vi have på?",
            "Look outside in the morning and talk about the weather: is it cold, wet or windy? What "
            "shall we wear?",
        ),
        theme="nature",
        competences=("curiosity", "automation"),
        results=("general", "focused"),
    ),
    _a(
        "small-creatures",
        (2, 8),
        ("Find smådyr", "Find small creatures"),
        (
            "Løft en sten eller en gammel gren, og se, hvad der bor under den. Tæl benene, og find navne "
            "til dyrene.",
            "Lift a stone or an old branch and see what lives underneath. Count the legs and find names "
            "for the creatures.",
        ),
        theme="nature",
        competences=("curiosity",),
    ),
    # --- Culture, aesthetics and community ---------------------------------------------------------
    _a(
        "family-stories",
        (3, 16),
        ("Fortæl om familien", "Tell family stories"),
        (
            "Fortæl om, da du var barn, eller om jeres familie og land. Vis gamle billeder, og lad "
            "barnet spørge.",
            "Tell about when you were a child, or about your family and country. Show old photos and "
            "let your child ask.",
        ),
        theme="culture",
        competences=("curiosity",),
        results=("general",),
    ),
    _a(
        "bake-together",
        (4, 10),
        ("Bag sammen", "Bake together"),
        (
            "Bag boller sammen. Lad barnet måle, tælle skefulde og vente på, at dejen hæver.",
            "Bake buns together. Let your child measure, count spoonfuls and wait for the dough to rise.",
        ),
        theme="culture",
        subject="mathematics",
        competences=("delaying-gratification", "persistence"),
    ),
    # --- School subjects ---------------------------------------------------------------------------
    _a(
        "read-every-day",
        (6, 10),
        ("Læs 15 minutter hver dag", "Read for 15 minutes every day"),
        (
            "Lad dit barn læse højt for dig 15 minutter hver dag. Hjælp med svære ord, og tal om, hvad "
            "I har læst.",
            "Let your child read aloud to you for 15 minutes every day. Help with hard words, and talk "
            "about what you read.",
        ),
        subject="danish",
        competences=("persistence", "automation"),
        results=("general", "focused", "special"),
        any_language=False,
    ),
    _a(
        "find-the-letters",
        (5, 7),
        ("Find bogstaverne", "Find the letters"),
        (
            "Find bogstaverne i barnets navn på skilte, mælkekartoner og nummerplader.",
            "Find the letters of your child's name on signs, milk cartons and number plates.",
        ),
        subject="danish",
        competences=("curiosity", "automation"),
        results=("focused", "special"),
        any_language=False,
    ),
    _a(
        "shopping-list",
        (6, 9),
        ("Skriv indkøbssedlen", "Write the shopping list"),
        (
            "Lad barnet skrive indkøbssedlen, gerne som det lyder, og læse den op i butikken.",
            "Let your child write the shopping list, spelling by sound is fine, and read it aloud in the "
            "shop.",
        ),
        subject="danish",
        competences=("automation",),
        results=("general", "focused"),
        any_language=False,
    ),
    _a(
        "news-talk",
        (11, 16),
        ("Tal om en nyhed", "Talk about a news story"),
        (
            "Vælg en nyhed sammen, og tal om den: Hvad skete der? Hvad mener I hver især?",
            "Pick a news story together and talk about it: what happened? What do each of you think?",
        ),
        subject="danish",
        competences=("curiosity", "good-manners"),
    ),
    _a(
        "count-everything",
        (3, 7),
        ("Tæl alt", "Count everything"),
        (
            "Tæl trappetrin, knapper og gulerødder. Spørg: »Hvor mange er der, hvis vi tager én væk?«",
            "Count steps, buttons and carrots. Ask: “How many are there if we take one away?”",
        ),
        subject="mathematics",
        competences=("automation",),
    ),
    _a(
        "dice-games",
        (5, 9),
        ("Terningespil", "Dice games"),
        (
            "Spil med to terninger, og læg øjnene sammen. Hvem kommer først til 20?",
            "Play with two dice and add up the dots. Who gets to 20 first?",
        ),
        subject="mathematics",
        competences=("automation", "delaying-gratification"),
    ),
    _a(
        "times-tables",
        (8, 11),
        ("Tabeller på farten", "Times tables on the go"),
        (
            "Øv én tabel ad gangen i korte stunder: i bilen, i bussen, ved opvasken.",
            "Practise one times table at a time in short moments: in the car, on the bus, while washing up.",
        ),
        subject="mathematics",
        competences=("automation", "persistence"),
    ),
    _a(
        "pocket-money",
        (8, 13),
        ("Lommepenge og regning", "Pocket money maths"),
        (
            "Lad barnet holde styr på sine lommepenge i et lille regnskab. Regn sammen ud, hvornår der "
            "er råd til ønsket.",
            "Let your child keep track of pocket money in a small account. Work out together when there "
            "is enough for the wish.",
        ),
        subject="mathematics",
        competences=("delaying-gratification",),
    ),
    _a(
        "english-every-day",
        (7, 12),
        ("Engelsk i hverdagen", "English in everyday life"),
        (
            "Se en tegnefilm eller hør en sang på engelsk sammen. Find tre ord, I begge kan huske bagefter.",
            "Watch a cartoon or listen to a song in English together. Find three words you both remember "
            "afterwards.",
        ),
        subject="english",
        competences=("curiosity",),
    ),
    _a(
        "kitchen-experiments",
        (6, 12),
        ("Små forsøg i køkkenet", "Small kitchen experiments"),
        (
            "Hvad synker, og hvad flyder? Gæt først, prøv så, og tal om hvorfor.",
            "What sinks and what floats? Guess first, then try, and talk about why.",
        ),
        subject="science",
        competences=("curiosity", "persistence"),
    ),
]
