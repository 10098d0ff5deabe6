"""What the toolkit says: instruments, exercises, routines and the five steps. Pure: no
Django import.

Every word here was written for LOTUS. Names of models and their authors are cited; no
item is taken from a published questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lotus.toolkit.scoring import Dimension, Instrument, Item, Kind

FREQUENCY = ("Never", "Rarely", "Sometimes", "Often", "Always")
AGREEMENT = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
RECENT_FREQUENCY = ("Not at all", "Rarely", "Sometimes", "Often", "Very often")


def _items(dimension: str, *texts: str, urgent: tuple[int, ...] = ()) -> tuple[Item, ...]:
    return tuple(
        Item(f"{dimension}_{n}", text, dimension, urgent=n in urgent) for n, text in enumerate(texts, 1)
    )


FOUR_ELEMENTS = Instrument(
    slug="four-elements",
    title="The four elements of compassion",
    kind=Kind.PROFILE,
    dimensions=(
        Dimension("attending", "Attending"),
        Dimension("understanding", "Understanding"),
        Dimension("empathising", "Empathising"),
        Dimension("helping", "Helping"),
    ),
    items=(
        *_items(
            "attending",
            "When someone brings me a problem, I stop what I am doing and give them my full attention.",
            "I notice when a colleague seems troubled, even if they have not said so.",
            "In difficult meetings I listen to the end before I decide what to say.",
        ),
        *_items(
            "understanding",
            "I ask questions to find out what is really going on for the other person.",
            "I check that I have understood a situation before I act on it.",
            "I look for the pressures around a person, not only at what they did.",
        ),
        *_items(
            "empathising",
            "I can sense how a situation feels for the other person.",
            "I let people see that I care about what they are going through.",
            "I stay steady when someone shares something painful with me.",
        ),
        *_items(
            "helping",
            "I follow up with practical help after I have listened.",
            "I ask people what help they want rather than assuming.",
            "I remove obstacles that get in the way of my team doing their work well.",
        ),
    ),
    scale_labels=FREQUENCY,
)

WISE_COMPASSION = Instrument(
    slug="wise-compassion",
    title="Wise compassion: your compassion and wisdom",
    kind=Kind.MATRIX,
    dimensions=(Dimension("wisdom", "Wisdom"), Dimension("compassion", "Compassion")),
    items=(
        *_items(
            "compassion",
            "I take time to understand how my decisions will affect the people involved.",
            "I show warmth to colleagues, including when things are going badly.",
            "I treat myself with the same kindness I would show a colleague who made a mistake.",
            "I ask about the wellbeing of the people I lead, and I act on what I hear.",
            "When I give difficult news, I think about how the person will feel.",
        ),
        *_items(
            "wisdom",
            "I give honest feedback, even when I expect it to be unwelcome.",
            "I make difficult decisions promptly rather than putting them off.",
            "I say clearly what I expect of people.",
            "I deal with poor behaviour when I see it, whoever is involved.",
            "I keep the bigger purpose in mind when I choose what to do.",
        ),
    ),
    scale_labels=FREQUENCY,
    axes=("wisdom", "compassion"),
    quadrants=("indifference", "execution", "avoidance", "wise_compassion"),
)

FLYWHEEL = Instrument(
    slug="flywheel",
    title="The wise compassion flywheel skills",
    kind=Kind.PROFILE,
    dimensions=(
        Dimension("presence", "Caring presence"),
        Dimension("courage", "Caring courage"),
        Dimension("candour", "Caring candour"),
        Dimension("transparency", "Caring transparency"),
    ),
    items=(
        *_items(
            "presence",
            "In conversations my mind stays with the person in front of me.",
            "I come to conversations open, without having decided how they will end.",
            "I pause before responding when a conversation gets tense.",
        ),
        *_items(
            "courage",
            "I start conversations I would rather avoid.",
            "I act on my judgement when I am sure something is wrong, even if it is unpopular.",
            "I deal with problems while they are small.",
        ),
        *_items(
            "candour",
            "I get to the point early when I have something hard to say.",
            "I would rather be respected for being honest than liked for being agreeable.",
            "I challenge behaviour that goes against our values, every time.",
        ),
        *_items(
            "transparency",
            "I make regular time for the people I lead.",
            "I invite people to disagree with me, and I thank them when they do.",
            "I am open about my own doubts and mistakes.",
        ),
    ),
    scale_labels=FREQUENCY,
)

RADICAL_CANDOUR = Instrument(
    slug="radical-candour",
    title="Radical candour in one conversation",
    kind=Kind.MATRIX,
    dimensions=(Dimension("challenge", "Challenging directly"), Dimension("care", "Caring personally")),
    items=(
        *_items(
            "care",
            "Before the conversation, I thought about what the other person needed from it.",
            "During it, I showed that I valued them as a person.",
            "I checked afterwards how they were.",
        ),
        *_items(
            "challenge",
            "I said clearly what needed to change.",
            "I gave specific examples rather than general impressions.",
            "I did not soften the message until it lost its meaning.",
        ),
    ),
    scale_labels=AGREEMENT,
    axes=("challenge", "care"),
    quadrants=("manipulative_insincerity", "obnoxious_aggression", "ruinous_empathy", "radical_candour"),
)

INCLUSION = Instrument(
    slug="inclusion",
    title="The inclusion scale, for one group",
    kind=Kind.SCALE,
    dimensions=(Dimension("inclusion", "Inclusion"),),
    items=_items(
        "inclusion",
        "I feel at ease working closely with people from this group.",
        "I seek out the views of people from this group when decisions affect them.",
        "I notice when people from this group are treated differently, and I speak up.",
        "I value what people from this group bring that others may not.",
        "I have learned something about the experience of this group in the last year.",
    ),
    scale_labels=AGREEMENT,
    points=("repulsion", "avoidance", "tolerance", "acceptance", "appreciation"),
)

WELLBEING_SIGNS = Instrument(
    slug="wellbeing-signs",
    title="Signs of compassion fatigue and burnout",
    kind=Kind.SIGNS,
    dimensions=(Dimension("fatigue", "Signs of compassion fatigue"), Dimension("burnout", "Signs of burnout")),
    items=(
        *_items(
            "fatigue",
            "I have felt numb or detached when people tell me about their difficulties.",
            "Other people's distress has stayed with me after work.",
            "I have found it hard to feel for the people I support.",
            "I have felt hopeless, or that things will not get better.",
            urgent=(4,),
        ),
        *_items(
            "burnout",
            "I have felt worn out before the working day began.",
            "I have felt cynical about my work or the people I work with.",
            "I have felt that nothing I do at work makes a difference.",
            "My sleep, appetite or health has suffered because of work.",
        ),
    ),
    scale_labels=RECENT_FREQUENCY,
)

PSYCHOLOGICAL_SAFETY = Instrument(
    slug="psychological-safety",
    title="Psychological safety in your team",
    kind=Kind.STAGES,
    dimensions=(
        Dimension("inclusion", "Inclusion safety"),
        Dimension("learner", "Learner safety"),
        Dimension("contributor", "Contributor safety"),
        Dimension("challenger", "Challenger safety"),
        Dimension("autonomy", "Autonomy"),
        Dimension("belonging", "Belonging"),
        Dimension("competence", "Competence"),
    ),
    items=(
        *_items(
            "inclusion",
            "Everyone in my team is treated as a full member, whatever their background.",
            "New people are made welcome quickly.",
            "People are not left out of conversations that affect them.",
        ),
        *_items(
            "learner",
            "People in my team can ask basic questions without embarrassment.",
            "Mistakes are treated as chances to learn.",
            "People feel able to try something new and get it wrong.",
        ),
        *_items(
            "contributor",
            "People's ideas are listened to, whatever their grade.",
            "Everyone is trusted to use their skills without being watched over.",
            "People's contributions are noticed and thanked.",
        ),
        *_items(
            "challenger",
            "People can question how things are done, including by senior staff.",
            "Someone who raises a concern is not punished for it.",
            "Bad news reaches me quickly.",
        ),
        *_items(
            "autonomy",
            "People have a say in how their work is done.",
            "People can make decisions within their role without asking permission.",
        ),
        *_items(
            "belonging",
            "People feel connected to each other.",
            "People feel that the team cares about them.",
        ),
        *_items(
            "competence",
            "People get the training and support to do their work well.",
            "People get useful feedback on their work.",
        ),
    ),
    scale_labels=AGREEMENT,
    secondary=("autonomy", "belonging", "competence"),
)

INSTRUMENTS: dict[str, Instrument] = {
    instrument.slug: instrument
    for instrument in (
        FOUR_ELEMENTS,
        WISE_COMPASSION,
        FLYWHEEL,
        RADICAL_CANDOUR,
        INCLUSION,
        WELLBEING_SIGNS,
        PSYCHOLOGICAL_SAFETY,
    )
}


@dataclass(frozen=True)
class InstrumentGuide:
    """How an instrument is introduced, what its subject is, and how it is scored."""

    step: str
    intro: str
    subject_label: str = ""
    subject_hint: str = ""
    time_frame: str = ""


GUIDES: dict[str, InstrumentGuide] = {
    "four-elements": InstrumentGuide(
        step="learn",
        intro="Think about your working life over the last few months. For each statement, choose how often it is true of you.",
    ),
    "wise-compassion": InstrumentGuide(
        step="utilise",
        intro="Think about how you lead day to day. For each statement, choose how often it is true of you.",
    ),
    "flywheel": InstrumentGuide(
        step="utilise",
        intro="Think about your conversations and decisions over the last month. Choose how often each statement is true of you.",
    ),
    "radical-candour": InstrumentGuide(
        step="strengthen",
        intro="Think about one conversation in which you gave someone feedback. Answer about that conversation only: the result describes the conversation, not you or the other person.",
        subject_label="Which conversation are you thinking about?",
        subject_hint="A few words that will remind you, for example 'feedback on the audit report, March'. Do not use the person's name.",
    ),
    "inclusion": InstrumentGuide(
        step="strengthen",
        intro="Choose one group of people to reflect on. Your answers are private to you. Be honest: the point is to notice where you are, not to score well.",
        subject_label="Which group are you reflecting on?",
        subject_hint="For example, international medical graduates, or colleagues with a disability.",
    ),
    "wellbeing-signs": InstrumentGuide(
        step="strengthen",
        intro="Think about the last two weeks. For each statement, choose how often it has been true for you. This is not a test or a diagnosis: it helps you notice signs early.",
        time_frame="the last two weeks",
    ),
    "psychological-safety": InstrumentGuide(
        step="strengthen",
        intro="Think about the team you lead. For each statement, choose how far you agree. This is your view of your team; your team may see it differently.",
    ),
}

HOW_SCORED = (
    "Each answer counts from 1 (the first option) to 5 (the last). A score is the average of "
    "the answers in its group, from 1 to 5, to one decimal place. A score of 3.5 or more counts "
    "as strong."
)

HOW_SCORED_EXTRA: dict[str, str] = {
    "wise-compassion": "Your two scores place you in one of four quadrants: each score is either strong (3.5 or more) or not.",
    "radical-candour": "The two scores place the conversation in one of four quadrants: each score is either strong (3.5 or more) or not.",
    "inclusion": "Your overall average, rounded to the nearest whole number, gives your place on the five-point scale: 1 repulsion, 2 avoidance, 3 tolerance, 4 acceptance, 5 appreciation.",
    "wellbeing-signs": "A sign counts as frequent when you answered 'often' or 'very often'. None or one frequent sign gives 'a few signs'; up to a third of the signs gives 'some signs'; more than a third gives 'many signs'. Feeling hopeless often always brings up the support section.",
    "psychological-safety": "The four stages build on each other, so the stage your team has reached is the highest one that is strong with every stage below it strong too. The three needs (autonomy, belonging and competence) are scored the same way and shown separately.",
}

# ----------------------------------------------------------------- what results mean

DIMENSION_NOTES: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    # instrument -> dimension -> (what it means, practices to try)
    "four-elements": {
        "attending": (
            "Attending is noticing: giving someone your full attention and seeing that they are struggling.",
            ("Put your phone away and turn from your screen when someone comes to talk.",
             "Begin one-to-one meetings by asking how the person is, and wait for the real answer."),
        ),
        "understanding": (
            "Understanding is working out what is causing the difficulty, with the person rather than about them.",
            ("Ask 'what else is going on?' before you suggest anything.",
             "Write down, in one line, what you think the problem is, then check it with the person."),
        ),
        "empathising": (
            "Empathising is feeling with someone while staying steady enough to help.",
            ("Name what you notice: 'this sounds exhausting'.",
             "After a hard conversation, take two minutes to let it settle before the next one."),
        ),
        "helping": (
            "Helping is acting on what you have heard: practical, agreed support.",
            ("End each supportive conversation with one agreed next step and a date.",
             "Ask 'what would help most right now?' rather than offering a solution."),
        ),
    },
    "flywheel": {
        "presence": (
            "Caring presence means being fully here, with curiosity and without a fixed script.",
            ("Be curious: ask one more question than feels natural.",
             "Let go of the outcome you expected before you walk in.",
             "Use a pause: count to three before you reply when you feel tense."),
        ),
        "courage": (
            "Caring courage means choosing the right thing over the comfortable one.",
            ("Do one thing each day that you have been putting off.",
             "Deal with small issues before they grow.",
             "When your instinct tells you something is wrong, act on it and check it."),
        ),
        "candour": (
            "Caring candour means being direct, because clarity saves everyone time and worry.",
            ("Say the main message in your first two sentences.",
             "Notice when you are choosing words to be liked rather than to be clear.",
             "Name behaviour that breaks your team's values every time you see it."),
        ),
        "transparency": (
            "Caring transparency means being clear and open, so people know where they stand.",
            ("Put regular time in the diary with each person you lead.",
             "Ask for disagreement in meetings, and thank the first person who offers it.",
             "Share one of your own doubts or mistakes with your team."),
        ),
    },
    "wellbeing-signs": {
        "fatigue": (
            "Compassion fatigue comes from caring for people in distress over time. It can build quickly and is a sign of the weight you carry, not of weakness (Figley, 1995).",
            ("Talk to someone you trust about the cases that stay with you.",
             "Build a small ritual that marks the end of the working day."),
        ),
        "burnout": (
            "Burnout builds slowly from work pressures that go on too long without enough recovery.",
            ("Look at your diary: protect one gap in each day.",
             "Talk to your manager about what could come off your list."),
        ),
    },
}

QUADRANTS: dict[str, tuple[str, str]] = {
    # key -> (name, what it means)
    "wise_compassion": (
        "Wise compassion",
        "You care about people and you also do the hard things. This is where leaders tend to get the best results and keep their teams well.",
    ),
    "avoidance": (
        "Caring, but avoiding hard things",
        "You care about people, but you may put off difficult feedback or decisions. Kindness that avoids the hard parts can leave problems to grow.",
    ),
    "execution": (
        "Getting things done, with less care",
        "You make decisions and deliver, but people may feel that results come before them.",
    ),
    "indifference": (
        "Not yet compassionate or wise",
        "Right now neither care nor courage is coming through strongly. This is a starting point, and both can be practised.",
    ),
    "radical_candour": (
        "Radical candour",
        "You cared about the person and you were clear about what needed to change. That combination is the aim.",
    ),
    "ruinous_empathy": (
        "Ruinous empathy",
        "You cared, but the message may not have landed. Being too gentle can leave the person without what they needed to improve.",
    ),
    "obnoxious_aggression": (
        "Obnoxious aggression",
        "The message was clear, but the person may not have felt cared for. That can make feedback harder to hear.",
    ),
    "manipulative_insincerity": (
        "Manipulative insincerity",
        "In this conversation neither care nor challenge came through strongly. It happens to everyone, often when tired or under pressure.",
    ),
}

#: Routines (keys of PRACTICES) that fit each wise-compassion result.
QUADRANT_ROUTINES: dict[str, tuple[str, ...]] = {
    "more_compassion": ("self_compassion", "check_intention", "their_shoes", "compassion_practice"),
    "more_wisdom": ("candid_transparency", "direct_interaction", "mindfulness"),
}

RADICAL_CANDOUR_TIPS = (
    "Ask for feedback on yourself before you give it to others.",
    "Give praise as specifically as you give criticism.",
    "Give feedback soon, in person, and in private when it is critical.",
    "Talk about the behaviour, never the person's character.",
    "Check that the message was understood.",
    "Notice which quadrant you slip into under pressure.",
    "Remember that the quadrants describe conversations, not people.",
)

SCALE_POINTS: dict[str, tuple[str, str]] = {
    "repulsion": ("Repulsion", "You may feel uncomfortable with this group. Noticing that honestly is the first step."),
    "avoidance": ("Avoidance", "You may tend to keep your distance from this group, even without meaning to."),
    "tolerance": ("Tolerance", "You work alongside this group, but may not yet seek out their views or experience."),
    "acceptance": ("Acceptance", "You treat people from this group as equals and include them."),
    "appreciation": ("Appreciation", "You actively value what people from this group bring, and you speak up for fair treatment."),
}

INCLUSION_PRACTICES = (
    "Ask a colleague from this group what would make the biggest difference to them, and listen.",
    "Look at your referral and disciplinary decisions: would you have acted the same for someone else?",
    "Read or watch one account of this group's experience of working in the NHS.",
)

STAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # key -> (name, what it means, what to do next)
    "": (
        "Not yet at the first stage",
        "People may not yet feel fully accepted in your team. Everything else builds on that.",
        ("Greet and include every member of the team, every time.",
         "Check who is left out of meetings and messages."),
    ),
    "inclusion": (
        "Inclusion safety",
        "People feel accepted. The next step is making it safe to learn and to get things wrong.",
        ("Talk about one of your own mistakes and what you learned.",
         "Thank people for questions, including basic ones."),
    ),
    "learner": (
        "Learner safety",
        "People feel safe to learn. The next step is trusting them to contribute fully.",
        ("Give people work that uses their strengths, and step back.",
         "Ask the most junior person for their view first."),
    ),
    "contributor": (
        "Contributor safety",
        "People contribute freely. The next step is making it safe to challenge how things are done.",
        ("Ask 'what are we getting wrong?' in each team meeting.",
         "When someone challenges you, thank them in front of others."),
    ),
    "challenger": (
        "Challenger safety",
        "People feel able to question anything. Keep it by responding well every time someone speaks up.",
        ("Keep asking for challenge, especially when things are going well.",),
    ),
}

NEEDS: dict[str, tuple[str, str]] = {
    "autonomy": ("Autonomy", "Give people more say in how they do their work."),
    "belonging": ("Belonging", "Make time for the team to connect as people, not only as colleagues."),
    "competence": ("Competence", "Make sure people get training, support and useful feedback."),
}

SIGNS_LEVELS: dict[str, tuple[str, str]] = {
    "few": ("A few signs", "You noticed few signs often. Keep looking after yourself, and check again from time to time."),
    "some": ("Some signs", "Some signs are showing often. This is a good moment to act on your self-care and talk to someone."),
    "many": ("Many signs", "Many signs are showing often. Please talk to someone soon: see the support below."),
}

SUPPORT = (
    ("If you are in crisis or at risk of harm", "Call 999, or go to A&E. For urgent help that is not an emergency, call NHS 111 and choose the mental health option."),
    ("To talk to someone now", "Samaritans: call 116 123, free, any time of day or night."),
    ("Your GP", "Your GP can talk with you about how you are feeling and what support is available."),
    ("At work", "Your occupational health service or employee assistance programme offers confidential support. Your organisation's resource list has the details."),
    ("For doctors and dentists", "NHS Practitioner Health offers free, confidential help for health and care professionals."),
)

SELF_CARE = (
    "Micro self-care: small things in the day, like a short walk, a drink of water away from your desk, or a minute of slow breathing.",
    "Macro self-care: bigger things over time, like proper leave, time with people who matter to you, and support from a professional.",
)

#: Shown until an administrator writes their organisation's own promise.
DEFAULT_PROMISE = (
    "When we handle a concern about a colleague, we will keep patients safe and treat the person "
    "behind the concern with kindness. We will listen before we judge, explain what is happening "
    "and why, decide fairly and without delay, and make sure they are supported from the first day "
    "to the last. We will learn from every case."
)
#: How often a leader is asked to look at their pledge again, in days.
PLEDGE_REVISIT_DAYS = 91

# ----------------------------------------------------------------- the five steps


@dataclass(frozen=True)
class Step:
    slug: str
    number: int
    name: str
    summary: str
    sections: tuple[tuple[str, str], ...]  # (anchor, heading)
    instruments: tuple[str, ...] = ()


STEPS: tuple[Step, ...] = (
    Step(
        "learn", 1, "Learn",
        "What compassion is, how it differs from pity, sympathy and empathy, and what compassionate leaders do.",
        (("continuum", "From pity to compassion"), ("four-elements", "The four elements of compassion"),
         ("four-pillars", "Four kinds of leadership")),
        ("four-elements",),
    ),
    Step(
        "optimise", 2, "Optimise",
        "How national commitments, and the effect of investigations on people's health, shape what we do.",
        (("commitments", "Our national commitments"), ("wellbeing", "Investigations and wellbeing"),
         ("role", "Why compassion matters in this work"), ("promise", "A kindness and compassion promise")),
    ),
    Step(
        "transform", 3, "Transform",
        "Making the process for handling a concern fair, open and supportive at every stage.",
        (("process", "The process, step by step"), ("support", "Support all the way through"),
         ("transparency", "Open triage"), ("lessons", "Learning lessons")),
    ),
    Step(
        "utilise", 4, "Utilise",
        "Balancing care with courage: the wise compassion matrix and the skills that keep it turning.",
        (("matrix", "The wise compassion matrix"), ("routines", "Routines that help"),
         ("flywheel", "The wise compassion flywheel")),
        ("wise-compassion", "flywheel"),
    ),
    Step(
        "strengthen", 5, "Strengthen",
        "Looking after yourself and your team: empathy, fatigue, candour, inclusion and psychological safety.",
        (("empathy-trap", "The empathy trap"), ("fatigue", "Compassion fatigue and burnout"),
         ("candour", "Radical candour"), ("inclusion", "Inclusive leadership"),
         ("safety", "Psychological safety")),
        ("wellbeing-signs", "radical-candour", "inclusion", "psychological-safety"),
    ),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}

# ----------------------------------------------------------------- exercises


@dataclass(frozen=True)
class Prompt:
    key: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Exercise:
    code: str
    step: str
    title: str
    team: bool
    prompts: tuple[Prompt, ...]
    #: How many action rows the entry offers; `actions_required` of them must be filled.
    actions: int = 0
    actions_required: int = 0
    instrument: str = ""
    #: The section of its step (an anchor in Step.sections) that the exercise ends.
    section: str = ""

    @property
    def slug(self) -> str:
        return self.code.replace(".", "-")


def _p(key: str, label: str, hint: str = "") -> Prompt:
    return Prompt(key, label, hint)


EXERCISES: tuple[Exercise, ...] = (
    Exercise("1.3.i", "learn", "Your four elements", False, (
        _p("strongest", "Which of the four elements comes most easily to you?", "Attending, understanding, empathising or helping. Give an example."),
        _p("reinforce", "How could you make that strength count for more?"),
        _p("weakest", "Which element do you find hardest, and why?"),
    ), actions=3, instrument="four-elements", section="four-elements"),
    Exercise("1.3.t", "learn", "The four elements as a team", True, (
        _p("strongest", "Which element does your team show most?"),
        _p("weakest", "Which element does your team find hardest?"),
    ), actions=3, section="four-elements"),
    Exercise("1.4.i", "learn", "Your leadership and the four pillars", False, (
        _p("style", "How does your leadership compare with effective, inclusive, collective and systems leadership?"),
        _p("adopt", "Which pillar would you most like to grow, and how?"),
    ), actions=3, section="four-pillars"),
    Exercise("1.4.t", "learn", "The four pillars in your board and team", True, (
        _p("behaviours", "Which behaviours of your board and team show the four pillars, and which do not?"),
        _p("adopt", "How could your team adopt the framework more fully?"),
    ), actions=3, section="four-pillars"),
    Exercise("2.1.1", "optimise", "The People Promise in your day", False, (
        _p("daily", "How do your everyday actions show the People Promise?"),
        _p("growth", "Where could you grow?"),
    ), actions=3, section="commitments"),
    Exercise("2.1.2", "optimise", "Fairness at the point of referral", True, (
        _p("bias", "How do we reduce bias when we decide whether to investigate or refer someone?"),
        _p("voice", "How do we make sure the practitioner's voice is heard?"),
    ), actions=3, section="commitments"),
    Exercise("2.2", "optimise", "What our wellbeing data tells us", False, (
        _p("data", "What does our data say about the wellbeing of staff under investigation?"),
        _p("gaps", "What data don't we have, and how could we get it?"),
        _p("improve", "What could we improve?"),
    ), actions=3, section="wellbeing"),
    Exercise("2.5", "optimise", "Living the kindness and compassion promise", False, (
        _p("living", "What would living the promise look like in your work?"),
        _p("vision", "What do you hope your team will say about how we handle concerns?"),
    ), actions=3, actions_required=3, section="promise"),
    Exercise("3.2", "transform", "How well do we support people?", False, (
        _p("evaluate", "How does our support compare with good practice at each stage of a case?"),
        _p("letters", "Read one of our recent letters. How would it feel to receive it?"),
    ), actions=3, actions_required=3, section="support"),
    Exercise("3.3", "transform", "Open and caring triage", False, (
        _p("qualities", "Where do presence, courage, candour and transparency show in our processes, and where are they missing?"),
        _p("collaborators", "Who could help us improve?"),
    ), actions=3, section="transparency"),
    Exercise("3.4", "transform", "Learning lessons", False, (
        _p("collect", "How do we collect, write down, discuss and share lessons from cases?"),
        _p("change", "What has changed because of a lesson we learned?"),
    ), actions=3, section="lessons"),
    Exercise("4.1", "utilise", "Where you sit on the matrix", False, (
        _p("quadrant", "Which quadrant do you usually work in? When do you slip into another?"),
        _p("barriers", "What gets in the way of wise compassion for you?"),
    ), actions=3, instrument="wise-compassion", section="matrix"),
    Exercise("4.2", "utilise", "After your self-assessment", False, (
        _p("result", "What did your wise compassion result tell you?"),
        _p("rewrite", "Having read the routines, what will you do differently?"),
    ), actions=3, actions_required=3, instrument="wise-compassion", section="routines"),
    Exercise("4.4", "utilise", "Your flywheel skills", False, (
        _p("strongest", "Which flywheel skill is your strongest?"),
        _p("weakest", "Which is your weakest, and which tip will you try first?"),
    ), actions=3, instrument="flywheel", section="flywheel"),
    Exercise("5.1", "strengthen", "The empathy trap", False, (
        _p("past", "Think of a time you were overwhelmed by someone else's distress. What happened?"),
        _p("differently", "What would you do differently now?"),
    ), section="empathy-trap"),
    Exercise("5.2", "strengthen", "Fatigue, burnout and self-care", False, (
        _p("signs", "Which signs of fatigue or burnout do you recognise in yourself?"),
        _p("self_care", "What helps you recover? What micro and macro self-care will you build in?"),
        _p("team", "What wellbeing support is there for your team?"),
    ), actions=3, instrument="wellbeing-signs", section="fatigue"),
    Exercise("5.3", "strengthen", "Feedback and the candour quadrants", False, (
        _p("experience", "Think of a time you gave or received feedback. Which quadrant was it in?"),
        _p("safety", "Have you seen a team where people did not feel safe to speak? What was missing?"),
    ), instrument="radical-candour", section="candour"),
    Exercise("5.4", "strengthen", "Your place on the inclusion scale", False, (
        _p("place", "Where are you on the scale for each group you thought about?"),
        _p("organisation", "What should your organisation do about racism and unfair treatment?"),
    ), actions=3, actions_required=3, instrument="inclusion", section="inclusion"),
    Exercise("5.5", "strengthen", "Your organisation's psychological safety", True, (
        _p("stage", "Which stage has your organisation reached, and why do you think so?"),
        _p("progress", "What could your team do to reach the next stage?"),
    ), actions=3, instrument="psychological-safety", section="safety"),
)
EXERCISES_BY_SLUG = {exercise.slug: exercise for exercise in EXERCISES}


def exercises_for(step: str) -> tuple[Exercise, ...]:
    return tuple(exercise for exercise in EXERCISES if exercise.step == step)


# ----------------------------------------------------------------- routines


@dataclass(frozen=True)
class Practice:
    key: str
    name: str
    how: str
    because: tuple[str, ...] = field(default_factory=tuple)


PRACTICES: tuple[Practice, ...] = (
    Practice("courageous_conversation", "One courageous conversation", "Have one conversation you would rather put off."),
    Practice("direct_interaction", "One direct and candid interaction", "Say one thing plainly that you would usually soften."),
    Practice("mindfulness", "A mindfulness practice", "Spend five minutes noticing your breathing or surroundings, without judging."),
    Practice("self_care", "A small act of self-care", "Do one small thing for yourself: a walk, a proper lunch, a pause."),
    Practice("connect", "Time to connect", "Spend ten unhurried minutes with someone you lead."),
    Practice("self_compassion", "Self-compassion", "When you get something wrong, say to yourself what you would say to a friend."),
    Practice("check_intention", "Check your intention", "Before a hard meeting, ask yourself what good outcome you want for everyone."),
    Practice("their_shoes", "Put yourself in their shoes", "Before you decide, spend a minute imagining the other person's day."),
    Practice("compassion_practice", "A daily compassion practice", "Wish someone well, silently, including someone you find difficult."),
    Practice("candid_transparency", "Candid transparency", "Tell one person exactly where they stand, kindly."),
)
PRACTICES_BY_KEY = {practice.key: practice for practice in PRACTICES}

# ----------------------------------------------------------------- team sessions

TEAM_INSTRUMENTS: dict[str, Instrument] = {
    "team-four-elements": Instrument(
        slug="team-four-elements",
        title="The four elements, as a team",
        kind=Kind.PROFILE,
        dimensions=FOUR_ELEMENTS.dimensions,
        items=(
            *_items("attending", "In our team, we notice when a colleague is struggling.",
                    "In our team, we give each other full attention."),
            *_items("understanding", "In our team, we try to understand problems before fixing them.",
                    "In our team, we ask about the pressures on each other."),
            *_items("empathising", "In our team, people show that they care.",
                    "In our team, people can share difficulties without being judged."),
            *_items("helping", "In our team, we follow through with practical help.",
                    "In our team, we remove obstacles for each other."),
        ),
        scale_labels=FREQUENCY,
    ),
    "team-psychological-safety": Instrument(
        slug="team-psychological-safety",
        title="Psychological safety, as a team",
        kind=Kind.STAGES,
        dimensions=PSYCHOLOGICAL_SAFETY.dimensions[:4],
        items=(
            *_items("inclusion", "I feel accepted as a full member of this team.",
                    "People like me are welcome here."),
            *_items("learner", "I can ask a basic question here without embarrassment.",
                    "When I make a mistake here, I am helped to learn from it."),
            *_items("contributor", "My ideas are listened to here.",
                    "I am trusted to use my skills."),
            *_items("challenger", "I can question how things are done here.",
                    "I could raise a concern without fear of what would happen to me."),
        ),
        scale_labels=AGREEMENT,
    ),
    "team-equity": Instrument(
        slug="team-equity",
        title="Fairness at the point of referral, as a team",
        kind=Kind.PROFILE,
        dimensions=(Dimension("fairness", "Fair decisions"), Dimension("voice", "The practitioner's voice")),
        items=(
            *_items("fairness", "We would make the same decision whoever the practitioner was.",
                    "We check our decisions for bias before we act on them."),
            *_items("voice", "Practitioners can tell their side before we decide what happens next.",
                    "We change course when a practitioner tells us something new."),
        ),
        scale_labels=AGREEMENT,
    ),
}

TEAM_EXERCISES: dict[str, str] = {
    # team instrument -> the exercise it belongs to
    "team-four-elements": "1.3.t",
    "team-psychological-safety": "5.5",
    "team-equity": "2.1.2",
}

TEAM_FREE_TEXT = "What is one thing our team could do better? (optional)"

#: The section of the step pages each self-assessment belongs to.
INSTRUMENT_SECTIONS: dict[str, str] = {
    "four-elements": "four-elements",
    "wise-compassion": "matrix",
    "flywheel": "flywheel",
    "wellbeing-signs": "fatigue",
    "radical-candour": "candour",
    "inclusion": "inclusion",
    "psychological-safety": "safety",
}
