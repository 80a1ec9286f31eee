"""Generate an archive of reports with known copied passages (for `dj-lint similar`).

Every text here is assembled from phrase lists written for this generator
(no sentence of any real report): a sentence is a subject, an adverb, a
verb, an object, a count with a number and a result, in one of a few
patterns, so two independently written paragraphs practically never share
50 characters. Documents are built from paragraphs of three kinds:

- unique paragraphs, written for that document alone;
- family paragraphs: a "family" of 2–12 documents (cadres of one unit using
  one template essay) shares four paragraphs, and each member uses 1–3 of them;
- popular paragraphs: 20 template paragraphs each used by about one document
  in 200 across the whole archive;
and 5 % of documents are "last year's report": most of another document's
paragraphs again, with the dates changed.

Every copy of a shared paragraph gets copying noise: full/half-width
punctuation, spaces, hard line breaks, changed numbers and dates (Arabic ↔
Chinese-numeral years). The standard guiding-thought sentence opens 60 % of
documents with a different continuation each time: it must never count.

``truth.json`` lists, per document, the span (offsets into the text) and id
of every shared paragraph; two documents with the same paragraph id share a
passage there. Same seed, same bytes.

    python benchmarks/similar_archive.py OUT_DIR --docs 1000 [--seed 7]
"""
from __future__ import annotations

import argparse
import json
import os
import random
from typing import Dict, List, Tuple

SUBJECTS = [
    "党支部", "支部委员会", "机关党委", "党总支", "各党小组", "全体党员", "班子成员", "支部书记",
    "青年党员", "离退休党支部", "第一党支部", "学校党委", "社区党委", "村党组织", "企业党委",
    "纪检委员", "组织委员", "宣传委员", "党员干部", "新入党的同志", "基层党组织", "中心组",
    "机关各科室", "驻村工作队", "窗口单位党员",
]
ADVERBS = [
    "认真", "扎实", "持续", "深入", "有序", "切实", "积极", "集中", "定期", "主动", "精心", "全面",
    "反复", "专门", "坚持", "及时", "逐步", "统一", "广泛", "稳妥",
]
VERBS = [
    "组织开展", "研究部署", "推进落实", "梳理排查", "学习讨论", "督促检查", "建立健全", "细化完善",
    "总结提炼", "宣传推广", "谋划实施", "对照检视", "跟踪问效", "分析研判", "协调推动", "全面整改",
    "集中攻坚", "压茬推进", "常态开展", "带头参加", "具体承办", "系统梳理", "统筹安排", "牵头落实",
    "认领完成",
]
OBJECTS = [
    "主题党日活动", "党员冬春训", "组织生活会", "民主评议党员工作", "谈心谈话", "理论学习中心组学习",
    "党费收缴管理", "发展党员工作", "阵地标准化建设", "志愿服务活动", "作风建设专项整治",
    "廉政风险点排查", "意识形态工作", "党务公开", "软弱涣散党组织整顿", "支部规范化建设",
    "党建品牌创建", "红色教育基地参观", "青年理论学习小组活动", "党员积分管理", "困难党员走访慰问",
    "群众急难愁盼问题办理", "文明单位创建", "结对共建活动", "网格化服务", "基层减负措施", "调查研究",
    "干部教育培训", "制度汇编修订", "档案资料整理", "警示教育", "专题党课", "先进典型选树",
    "问题清单销号", "为民办实事项目", "党员示范岗评选", "重点任务台账", "联系服务群众工作",
    "安全生产检查", "矛盾纠纷排查化解",
]
COUNTS = ["{n}次", "{n}场", "共{n}项", "覆盖党员{n}名", "参与群众{n}人次", "累计{n}小时", "涉及{n}个单位"]
RESULTS = [
    "取得了较好效果", "党员的参与热情明显提高", "群众满意度进一步提升", "形成了一批可复制的经验做法",
    "有关问题得到了及时解决", "工作的规范化水平不断提高", "为完成全年任务打下了基础",
    "支部的凝聚力和战斗力不断增强", "干部作风有了新的转变", "各项制度得到有效执行",
    "营造了比学赶超的良好氛围", "受到上级党组织的肯定", "基础台账更加完整清晰", "一批难点问题得到突破",
    "服务群众的渠道进一步拓宽", "党员的身份意识明显增强", "推动了中心工作的开展", "整改措施全部落实到位",
    "学习成果转化为工作实效", "工作短板逐步补齐", "队伍面貌焕然一新", "基层基础更加牢固",
    "监督管理更加严格", "协同配合更加顺畅", "各方面反映良好", "工作效率明显提升", "资料归档及时规范",
    "群众反映的问题件件有回音", "活动形式更加丰富", "年度目标如期实现",
]
PROBLEMS = [
    "学习流于形式", "制度执行不严", "台账资料不全", "党员作用发挥不充分", "活动形式单一",
    "联系群众不够紧密", "整改落实不到位", "组织生活不规范", "思想认识不到位", "工作推进不平衡",
    "队伍结构老化", "宣传氛围不浓", "监督检查不够经常", "服务意识不强", "创新办法不多",
    "基础工作薄弱", "责任传导层层递减", "资金使用不规范", "考核评价不科学", "信息化水平不高",
]
TIMES = ["{y}年{m}月", "{y}年上半年", "{m}月{d}日", "今年{m}月以来", "{y}年第{q}季度"]
UNITS = ["市教育局", "县农业农村局", "区卫生健康委", "街道办事处", "市交通运输局", "县供电公司",
         "区人民医院", "市第三中学", "镇人民政府", "市税务局"]
KINDS = ["党支部工作总结", "对照检查材料", "述职报告", "心得体会", "党建工作总结"]
GUIDING = "坚持以习近平新时代中国特色社会主义思想为指导，"
CN_DIGITS = "〇一二三四五六七八九"


def _time(rng: random.Random) -> str:
    return rng.choice(TIMES).format(y=rng.randint(2018, 2025), m=rng.randint(1, 12),
                                    d=rng.randint(1, 28), q=rng.randint(1, 4))


def sentence(rng: random.Random) -> str:
    s, a, v, o = rng.choice(SUBJECTS), rng.choice(ADVERBS), rng.choice(VERBS), rng.choice(OBJECTS)
    count = rng.choice(COUNTS).format(n=rng.randint(2, 480))
    result = rng.choice(RESULTS)
    shape = rng.randrange(4)
    if shape == 0:
        return f"{s}{a}{v}{o}{count}，{result}。"
    if shape == 1:
        return f"{_time(rng)}，{s}{v}{o}{count}，{result}。"
    if shape == 2:
        return f"针对{rng.choice(PROBLEMS)}的问题，{s}{a}{v}{o}，{result}。"
    return f"{s}把{o}作为重点，{a}{v}{rng.choice(OBJECTS)}{count}；{result}。"


def paragraph(rng: random.Random) -> str:
    return "".join(sentence(rng) for _ in range(rng.randint(3, 5)))


# -- copying noise ------------------------------------------------------
_HALF = {"，": ",", "。": ".", "；": ";", "：": ":"}


def _renumber(text: str, rng: random.Random) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i].isdigit():
            j = i
            while j < len(text) and text[j].isdigit():
                j += 1
            number = text[i:j]
            if j < len(text) and text[j] == "年" and len(number) == 4:
                year = str(int(number) + rng.choice((-1, 1)))
                number = "".join(CN_DIGITS[int(c)] for c in year) if rng.random() < 0.3 else year
            elif rng.random() < 0.7:
                number = str(rng.randint(1, 500))
            out.append(number)
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def noisy(text: str, rng: random.Random) -> str:
    text = _renumber(text, rng)
    if rng.random() < 0.5:
        text = "".join(_HALF.get(c, c) if rng.random() < 0.8 else c for c in text)
    if rng.random() < 0.3:
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            chars.insert(rng.randrange(1, len(chars)), " ")
        text = "".join(chars)
    if rng.random() < 0.3:
        width = rng.randint(25, 40)
        text = "\n".join(text[i:i + width] for i in range(0, len(text), width))
    return text


# -- archive ------------------------------------------------------------
def build(n_docs: int, seed: int = 7):
    """[(name, text)], {name: [[start, end, paragraph id], ...]}."""
    rng = random.Random(seed)
    shared: Dict[str, str] = {}
    plans: List[List[Tuple[str, str]]] = [[] for _ in range(n_docs)]  # (kind, id or text)
    for d in range(n_docs):
        plans[d] = [("unique", paragraph(rng)) for _ in range(rng.randint(5, 9))]
    # Families: 70 % of the documents, in groups of 2-12, sharing four paragraphs.
    order = list(range(n_docs))
    rng.shuffle(order)
    members, f = order[: int(n_docs * 0.7)], 0
    while members:
        size = min(len(members), rng.randint(2, 12))
        group, members = members[:size], members[size:]
        ids = [f"F{f}.{k}" for k in range(4)]
        for pid in ids:
            shared[pid] = paragraph(rng)
        for d in group:
            for pid in rng.sample(ids, rng.randint(1, 3)):
                plans[d].insert(rng.randrange(len(plans[d]) + 1), ("shared", pid))
        f += 1
    # Popular templates: each used by about one document in 200.
    for t in range(20):
        pid = f"T{t}"
        shared[pid] = paragraph(rng)
        for d in rng.sample(range(n_docs), max(2, n_docs // 200)):
            if all(p != ("shared", pid) for p in plans[d]):
                plans[d].insert(rng.randrange(len(plans[d]) + 1), ("shared", pid))
    # Last year's report: 5 % of the documents repeat most of another one.
    for d in rng.sample(range(n_docs), n_docs // 20):
        src = rng.randrange(n_docs)
        if src == d:
            continue
        for k, (kind, value) in enumerate(plans[src]):
            if kind == "unique":  # the source's own paragraph becomes shared with d
                pid = f"Y{src}.{k}"
                shared[pid] = value
                plans[src][k] = ("shared", pid)
                kind, value = "shared", pid
            if rng.random() < 0.8 and ("shared", value) not in plans[d]:
                plans[d].insert(min(k, len(plans[d])), ("shared", value))
    files, truth = [], {}
    for d in range(n_docs):
        name = f"{d:06d}.txt"
        parts = [f"{rng.choice(UNITS)}{rng.randint(2019, 2025)}年度{rng.choice(KINDS)}"]
        spans = []
        pos = len(parts[0]) + 1
        if rng.random() < 0.6:
            intro = GUIDING + sentence(rng)
            parts.append(intro)
            pos += len(intro) + 1
        for kind, value in plans[d]:
            text = noisy(shared[value], rng) if kind == "shared" else value
            if kind == "shared":
                spans.append([pos, pos + len(text), value])
            parts.append(text)
            pos += len(text) + 1
        parts.append(f"{rng.choice(UNITS)}党支部\n{rng.randint(2019, 2025)}年{rng.randint(1, 12)}月")
        files.append((name, "\n".join(parts) + "\n"))
        truth[name] = spans
    return files, truth


def write(out: str, n_docs: int, seed: int = 7) -> str:
    files, truth = build(n_docs, seed)
    archive = os.path.join(out, "archive")
    os.makedirs(archive, exist_ok=True)
    for name, text in files:
        with open(os.path.join(archive, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    with open(os.path.join(out, "truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False)
    return archive


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    print(write(args.out, args.docs, args.seed))


if __name__ == "__main__":
    main()
