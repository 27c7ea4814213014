"""The seven competences of the suggested framework, after the idea of Hedensted Kommune's "KLAR til
læring" (KL 2017), written in our own words. Each has a name and a description (Danish, English), and
advice for parents and for professionals for the age bands 0–2, 3–5, 6–9, 10–12 and 13–16."""

COMPETENCES = [
    {
        "code": "robustness",
        "name": ("Robusthed", "Robustness"),
        "description": (
            "At kunne klare modgang, blive ked af det og komme videre igen.",
            "Being able to face difficulties, feel sad and carry on again.",
        ),
        "parents": [
            (
                "Trøst, når dit barn er ked af det, og lad det så prøve igen. Små frustrationer, fx et "
                "tårn der vælter, er i orden, når du er tæt på.",
                "Comfort your child when they are upset, then let them try again. Small frustrations, "
                "like a tower that falls, are fine when you are close by.",
            ),
            (
                "Lad dit barn klare små ting selv, fx at tage tøj på, også når det tager tid. Ros "
                "indsatsen, ikke kun resultatet.",
                "Let your child manage small things alone, such as getting dressed, even when it takes "
                "time. Praise the effort, not only the result.",
            ),
            (
                "Spørg, hvad der var svært i dag, og hvordan dit barn klarede det. Løs ikke alle "
                "problemer: spørg »Hvad kunne du prøve?«",
                "Ask what was hard today and how your child handled it. Do not solve every problem: "
                "ask “What could you try?”",
            ),
            (
                "Tal om skuffelser uden at skynde dig at gøre dem mindre. Fortæl om gange, hvor du selv "
                "måtte prøve igen.",
                "Talk about disappointments without rushing to make them smaller. Tell about times when "
                "you had to try again yourself.",
            ),
            (
                "Vær der, når den unge møder modgang, og lyt mere, end du giver råd. Hjælp med at dele "
                "store ting op i små skridt.",
                "Be there when your teenager meets difficulties, and listen more than you advise. Help "
                "break big things into small steps.",
            ),
        ],
        "professionals": [
            (
                "Giv barnet tid til selv at prøve, før I hjælper. Sæt ord på følelsen: »Du blev ked af "
                "det, da tårnet væltede.«",
                "Give the child time to try before you help. Put the feeling into words: “You were sad "
                "when the tower fell.”",
            ),
            (
                "Tal om, hvad man kan gøre, når noget går galt. Leg lege, hvor det er i orden at tabe, og "
                "vis selv, hvordan man kommer videre.",
                "Talk about what to do when something goes wrong. Play games where losing is fine, and "
                "show how you carry on yourself.",
            ),
            (
                "Giv opgaver, der er lidt for svære, og støt undervejs. Gør fejl til en naturlig del af "
                "at lære i klassen.",
                "Give tasks that are a little too hard, and support along the way. Make mistakes a "
                "normal part of learning in class.",
            ),
            (
                "Hjælp eleverne med at se, hvad de kan lære af et nederlag. Hold fast i høje "
                "forventninger, og vis, at I tror på dem.",
                "Help pupils see what they can learn from a setback. Keep expectations high and show "
                "that you believe in them.",
            ),
            (
                "Tal med de unge om pres og præstation. Vis veje videre efter et dårligt resultat, og "
                "tal tidligt med forældrene.",
                "Talk with young people about pressure and performance. Show ways forward after a poor "
                "result, and talk with the parents early.",
            ),
        ],
    },
    {
        "code": "delaying-gratification",
        "name": ("Udskyde behov", "Delaying gratification"),
        "description": (
            "At kunne vente på noget, man gerne vil have, og gøre det, der skal gøres, først.",
            "Being able to wait for something you want, and do what needs doing first.",
        ),
        "parents": [
            (
                "Øv at vente et øjeblik: »Først vasker vi hænder, så får du mad.« Sig, hvad der sker, så "
                "dit barn ved, at det kommer.",
                "Practise waiting a moment: “First we wash hands, then you get your food.” Say what "
                "will happen so your child knows it is coming.",
            ),
            (
                "Spil spil, hvor man venter på tur. Lav en aftale: »Når vi har ryddet op, må du se en film.«",
                "Play games where you wait for your turn. Make a deal: “When we have tidied up, you can "
                "watch a film.”",
            ),
            (
                "Lad dit barn spare op til noget, det ønsker sig. Lektier før skærm kan være en fast regel.",
                "Let your child save up for something they want. Homework before screens can be a fixed "
                "rule.",
            ),
            (
                "Tal om valg: noget sjovt nu eller noget bedre senere. Aftal skærmtid sammen, og hold "
                "aftalen.",
                "Talk about choices: something fun now or something better later. Agree on screen time "
                "together, and keep the agreement.",
            ),
            (
                "Støt den unge i at planlægge lektier og fritid. Tal om mål, der tager tid, som et job "
                "eller en uddannelse.",
                "Support your teenager in planning homework and free time. Talk about goals that take "
                "time, such as a job or an education.",
            ),
        ],
        "professionals": [
            (
                "Brug faste rytmer i dagen, så barnet kan forudse, hvad der sker. Hjælp med at vente med "
                "en sang eller nogle ord.",
                "Use steady routines so the child can predict what happens. Help with waiting through a "
                "song or a few words.",
            ),
            (
                "Leg lege med turtagning og pauser, fx stopdans. Ros barnet, når det venter.",
                "Play games with turn-taking and pauses, such as musical statues. Praise the child when "
                "they wait.",
            ),
            (
                "Gør det synligt, hvad der kommer bagefter, fx på tavlen. Øv at række hånden op og vente.",
                "Make it visible what comes next, for example on the board. Practise raising a hand and "
                "waiting.",
            ),
            (
                "Arbejd med længere opgaver, hvor belønningen kommer til sidst. Hjælp eleverne med at "
                "planlægge.",
                "Work on longer tasks where the reward comes at the end. Help pupils plan.",
            ),
            (
                "Lær de unge at dele store opgaver op og sætte delmål. Tal om telefonen som forstyrrelse "
                "i timerne.",
                "Teach young people to split big tasks and set part goals. Talk about the phone as a "
                "distraction in lessons.",
            ),
        ],
    },
    {
        "code": "curiosity",
        "name": ("Nysgerrighed", "Curiosity"),
        "description": (
            "Lysten til at undersøge, spørge og lære noget nyt.",
            "The wish to explore, ask and learn something new.",
        ),
        "parents": [
            (
                "Følg dit barns blik, og sig, hvad det kigger på. Lad det røre, smage og undersøge ting, "
                "der er sikre.",
                "Follow your child's gaze and name what they look at. Let them touch, taste and explore "
                "things that are safe.",
            ),
            (
                "Svar på »hvorfor«, og spørg tilbage: »Hvad tror du?« Gå på opdagelse i haven, skoven "
                "eller byen.",
                "Answer “why” questions and ask back: “What do you think?” Go exploring in the garden, "
                "the woods or the town.",
            ),
            (
                "Tal om, hvad dit barn lærer i skolen, og find mere om det sammen, på biblioteket eller "
                "på en tur.",
                "Talk about what your child learns at school, and find out more together, at the library "
                "or on a trip.",
            ),
            (
                "Vis interesse for dit barns interesser, også når de er nye for dig. Lad barnet forklare "
                "dig noget.",
                "Show interest in your child's interests, even when they are new to you. Let your child "
                "explain something to you.",
            ),
            (
                "Tal om nyheder, job og fremtid ved aftensmaden. Fortæl om dit eget arbejde, og spørg "
                "til den unges drømme.",
                "Talk about news, jobs and the future at dinner. Tell about your own work, and ask about "
                "your teenager's dreams.",
            ),
        ],
        "professionals": [
            (
                "Giv materialer, der kan undersøges med alle sanser. Vis glæde, når barnet opdager noget.",
                "Offer materials that can be explored with all the senses. Show delight when the child "
                "discovers something.",
            ),
            (
                "Stil åbne spørgsmål, og giv tid til svar. Lad børnenes egne spørgsmål styre et lille "
                "projekt.",
                "Ask open questions and give time to answer. Let the children's own questions lead a "
                "small project.",
            ),
            (
                "Begynd et emne med et spørgsmål eller en undren. Fortæl forældrene, hvad klassen "
                "arbejder med, så de kan tale om det derhjemme.",
                "Start a topic with a question or a puzzle. Tell parents what the class is working on so "
                "they can talk about it at home.",
            ),
            (
                "Giv eleverne valg i opgaverne, så de kan følge deres interesser. Lær dem at finde og "
                "vurdere kilder.",
                "Give pupils choices in tasks so they can follow their interests. Teach them to find and "
                "judge sources.",
            ),
            (
                "Knyt undervisningen til verden uden for skolen, fx med besøg og gæster. Tal med "
                "forældrene om valg af uddannelse.",
                "Link teaching to the world outside school, with visits and guests. Talk with parents "
                "about choosing an education.",
            ),
        ],
    },
    {
        "code": "persistence",
        "name": ("Vedholdenhed", "Persistence"),
        "description": (
            "At blive ved, også når noget er svært eller tager tid.",
            "Keeping at it, also when something is hard or takes time.",
        ),
        "parents": [
            (
                "Lad dit barn blive ved med at prøve at stable, kravle eller ramme munden med skeen. "
                "Hjælp kun lidt, når det er nødvendigt.",
                "Let your child keep trying to stack, crawl or get the spoon to their mouth. Help only a "
                "little, when needed.",
            ),
            (
                "Læg puslespil eller byg sammen, og hold ud lidt længere, end barnet ville alene. Sig: "
                "»Det er svært. Vi prøver én gang til.«",
                "Do puzzles or build together, and keep at it a bit longer than your child would alone. "
                "Say: “It is hard. Let's try once more.”",
            ),
            (
                "Læs lidt hver dag, også når det går langsomt. Fortæl, at det er helt normalt, at noget "
                "nyt er svært i starten.",
                "Read a little every day, even when it goes slowly. Say that it is quite normal for new "
                "things to be hard at first.",
            ),
            (
                "Hjælp dit barn med at holde fast i en fritidsaktivitet, også i svære perioder. Tal om, "
                "hvad der hjælper.",
                "Help your child stay with a leisure activity, also through hard periods. Talk about "
                "what helps.",
            ),
            (
                "Anerkend den unges arbejde hen mod eksamen. Hjælp med ro, mad og søvn i travle perioder.",
                "Recognise your teenager's work towards exams. Help with calm, food and sleep in busy "
                "periods.",
            ),
        ],
        "professionals": [
            (
                "Lad barnet øve det samme mange gange. Sæt ord på: »Du prøver igen og igen!«",
                "Let the child practise the same thing many times. Put it into words: “You try again "
                "and again!”",
            ),
            (
                "Giv opgaver, der tager flere dage, fx en bygning eller en plante. Ros barnet, når det "
                "holder ud.",
                "Give tasks that take several days, such as a building or a plant. Praise the child for "
                "sticking with it.",
            ),
            (
                "Vis eleverne deres fremskridt over tid, fx med en læsekurve. Del opgaver op, så de kan "
                "lykkes undervejs.",
                "Show pupils their progress over time, for example with a reading chart. Split tasks so "
                "they can succeed along the way.",
            ),
            (
                "Lad eleverne arbejde med længere projekter og sætte egne delmål. Følg op på indsatsen, "
                "ikke kun på resultatet.",
                "Let pupils work on longer projects and set their own part goals. Follow up on the "
                "effort, not only on the result.",
            ),
            (
                "Lær de unge at lave en plan for en stor opgave og holde den. Tal om, hvordan man kommer "
                "i gang igen efter en pause.",
                "Teach young people to make a plan for a big task and keep it. Talk about how to get "
                "going again after a break.",
            ),
        ],
    },
    {
        "code": "automation",
        "name": ("Automatisering", "Automation"),
        "description": (
            "At øve noget så meget, at det kører af sig selv, så hovedet er frit til det nye.",
            "Practising something so much that it runs by itself, so the mind is free for new things.",
        ),
        "parents": [
            (
                "Gentag de samme små ritualer hver dag: godnatsang, håndvask, leg ved puslebordet. "
                "Gentagelse giver ro og læring.",
                "Repeat the same small rituals every day: a goodnight song, hand-washing, games at the "
                "changing table. Repetition brings calm and learning.",
            ),
            (
                "Øv at klare sig selv hver dag: tøj, sko, toilet. Tæl trappetrin og sig rim sammen, til "
                "det kører af sig selv.",
                "Practise doing things alone every day: clothes, shoes, the toilet. Count steps and say "
                "rhymes together until they run by themselves.",
            ),
            (
                "Øv bogstaver, læsning og plusstykker lidt hver dag. Fem minutter er nok, og det giver "
                "kræfter til det svære.",
                "Practise letters, reading and sums a little every day. Five minutes is enough, and it "
                "frees energy for the hard parts.",
            ),
            (
                "Hjælp med at øve tabeller, stavning og gloser i korte stunder, fx i bilen eller ved "
                "aftensmaden.",
                "Help practise times tables, spelling and vocabulary in short moments, such as in the car "
                "or at dinner.",
            ),
            (
                "Støt faste vaner: samme tid til lektier, nok søvn og tasken pakket aftenen før.",
                "Support steady habits: the same time for homework, enough sleep and the bag packed the "
                "night before.",
            ),
        ],
        "professionals": [
            (
                "Brug de samme sange og ord ved faste situationer. Lad barnet øve de samme bevægelser "
                "mange gange.",
                "Use the same songs and words at fixed moments. Let the child practise the same "
                "movements many times.",
            ),
            (
                "Lav faste rutiner for påklædning og oprydning. Brug remser og tællelege igen og igen.",
                "Make fixed routines for dressing and tidying. Use rhymes and counting games again and "
                "again.",
            ),
            (
                "Giv korte, daglige øvelser i læsning og regning. Fortæl forældrene, hvad der skal øves "
                "derhjemme.",
                "Give short daily practice in reading and maths. Tell the parents what to practise at home.",
            ),
            (
                "Gør træning af grundfærdigheder til en fast del af ugen. Vis eleverne, at det, der "
                "kører af sig selv, gør nye opgaver lettere.",
                "Make practising basic skills a fixed part of the week. Show pupils that what runs by "
                "itself makes new tasks easier.",
            ),
            (
                "Lær de unge studievaner, der virker: gentagelse, noter og små prøver. Tal med "
                "forældrene om vaner derhjemme.",
                "Teach young people study habits that work: repetition, notes and small quizzes. Talk "
                "with parents about habits at home.",
            ),
        ],
    },
    {
        "code": "self-regulation",
        "name": ("Selvregulering", "Self-regulation"),
        "description": (
            "At kunne mærke og styre sine følelser, sin opmærksomhed og sin krop.",
            "Being able to notice and steer your feelings, your attention and your body.",
        ),
        "parents": [
            (
                "Hjælp dit barn med at falde til ro: hold om det, tal roligt, vug. Barnet låner din ro.",
                "Help your child calm down: hold them, speak calmly, rock them. Your child borrows your "
                "calm.",
            ),
            (
                "Sæt ord på følelser: glad, vred, bange. Øv sammen at trække vejret dybt, når noget er "
                "svært.",
                "Name feelings: happy, angry, scared. Practise taking deep breaths together when "
                "something is hard.",
            ),
            (
                "Tal om, hvad dit barn kan gøre, når det bliver vredt: gå lidt væk, tælle til ti, sige "
                "det med ord.",
                "Talk about what your child can do when angry: step away, count to ten, say it in words.",
            ),
            (
                "Hjælp dit barn med at planlægge ugen og mærke, hvornår det er træt. Vær selv et roligt "
                "eksempel, når du er presset.",
                "Help your child plan the week and notice when they are tired. Be a calm example "
                "yourself when you are under pressure.",
            ),
            (
                "Tal med den unge om søvn, skærm og stress. Aftal regler sammen, og vis tillid, når de "
                "bliver holdt.",
                "Talk with your teenager about sleep, screens and stress. Agree rules together, and "
                "show trust when they are kept.",
            ),
        ],
        "professionals": [
            (
                "Vær rolig og forudsigelig. Sæt ord på barnets følelser, og hjælp det tilbage til ro.",
                "Be calm and predictable. Name the child's feelings and help them back to calm.",
            ),
            (
                "Brug lege som stopdans og »Simon siger«, der øver at styre kroppen. Lav en rolig krog, "
                "barnet kan gå hen i.",
                "Use games like musical statues and “Simon says” that practise controlling the body. "
                "Make a quiet corner the child can go to.",
            ),
            (
                "Lær eleverne at mærke efter og bede om en pause. Giv korte pauser med bevægelse i timerne.",
                "Teach pupils to notice how they feel and ask for a break. Give short movement breaks in "
                "lessons.",
            ),
            (
                "Tal om, hvad man kan gøre, når en konflikt går skævt. Lad eleverne selv vurdere deres "
                "arbejde og indsats.",
                "Talk about what to do when a conflict goes wrong. Let pupils assess their own work and "
                "effort.",
            ),
            (
                "Arbejd med planlægning, stress og koncentration. Hjælp de unge med at finde ud af, hvad "
                "der virker for dem.",
                "Work on planning, stress and concentration. Help young people find out what works for them.",
            ),
        ],
    },
    {
        "code": "good-manners",
        "name": ("Gode manerer", "Good manners"),
        "description": (
            "At være venlig, hilse, tage hensyn og være en god del af fællesskabet.",
            "Being kind, greeting others, showing consideration and being a good part of the group.",
        ),
        "parents": [
            (
                "Sig goddag, tak og farvel sammen med dit barn. Barnet lærer af det, du gør.",
                "Say hello, thank you and goodbye together with your child. Your child learns from what "
                "you do.",
            ),
            (
                "Øv at sige tak, vente på tur og spørge, før man tager. Lær navnene på de andre børn i "
                "gruppen sammen.",
                "Practise saying thank you, waiting for your turn and asking before taking. Learn the "
                "names of the other children in the group together.",
            ),
            (
                "Lav legeaftaler med forskellige børn fra klassen. Tal om, hvordan man er en god ven.",
                "Make play dates with different children from the class. Talk about how to be a good friend.",
            ),
            (
                "Tal om, hvordan man skriver pænt til hinanden på nettet. Vær et godt eksempel i den "
                "måde, du taler om andre på.",
                "Talk about how to write kindly to each other online. Be a good example in how you talk "
                "about others.",
            ),
            (
                "Forvent, at den unge hilser, hjælper til derhjemme og holder aftaler. Tal om respekt i "
                "venskaber og kærester.",
                "Expect your teenager to greet people, help at home and keep agreements. Talk about "
                "respect in friendships and relationships.",
            ),
        ],
        "professionals": [
            (
                "Hils på barnet og forældrene hver dag. Vis venlighed i små ting: børn efterligner.",
                "Greet the child and the parents every day. Show kindness in small things: children copy.",
            ),
            (
                "Lav faste ritualer ved måltider og samling. Hjælp børnene med at lege med forskellige børn.",
                "Make fixed rituals at meals and circle time. Help the children play with different "
                "children.",
            ),
            (
                "Lav klassens regler sammen med eleverne. Øv at lytte, når andre taler.",
                "Make the class rules together with the pupils. Practise listening when others speak.",
            ),
            (
                "Arbejd med fællesskab og en god tone, også på nettet. Inddrag forældrene i klassens "
                "aftaler.",
                "Work on community and a good tone, also online. Involve the parents in the class's "
                "agreements.",
            ),
            (
                "Øv, hvordan man optræder i en praktik eller til en jobsamtale. Tal om respekt og grænser.",
                "Practise how to behave on a work placement or at a job interview. Talk about respect "
                "and boundaries.",
            ),
        ],
    },
]
