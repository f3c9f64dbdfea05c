"""d2l's sections that the optimization chapters ``:numref:`` from outside a book of them.

Each label maps to the section's title in each language and its page on d2l.ai (the English
book; its Korean translation has the same layout). A label the book defines itself wins over
this table. A link from here is online: the page marks it so.
"""

D2L = "https://d2l.ai/"

# label -> (English title, Korean title, page under d2l.ai)
_SECTIONS = {
    "chap_optimization": ("Optimization Algorithms", "최적화 알고리즘", "chapter_optimization/index.html"),
    "sec_optimization-intro": ("Optimization and Deep Learning", "최적화와 딥러닝",
                               "chapter_optimization/optimization-intro.html"),
    "subsec_empirical-risk-and-risk": ("Goal of Optimization", "최적화의 목표",
                                       "chapter_optimization/optimization-intro.html#goal-of-optimization"),
    "sec_convexity": ("Convexity", "볼록성", "chapter_optimization/convexity.html"),
    "sec_gd": ("Gradient Descent", "경사 하강법", "chapter_optimization/gd.html"),
    "subsec_gd-learningrate": ("Learning Rate", "학습률", "chapter_optimization/gd.html#learning-rate"),
    "sec_sgd": ("Stochastic Gradient Descent", "확률적 경사 하강법", "chapter_optimization/sgd.html"),
    "sec_minibatch_sgd": ("Minibatch Stochastic Gradient Descent", "미니배치 확률적 경사 하강법",
                          "chapter_optimization/minibatch-sgd.html"),
    "sec_momentum": ("Momentum", "모멘텀", "chapter_optimization/momentum.html"),
    "sec_adagrad": ("Adagrad", "Adagrad", "chapter_optimization/adagrad.html"),
    "sec_rmsprop": ("RMSProp", "RMSProp", "chapter_optimization/rmsprop.html"),
    "sec_adadelta": ("Adadelta", "Adadelta", "chapter_optimization/adadelta.html"),
    "sec_adam": ("Adam", "Adam", "chapter_optimization/adam.html"),
    "sec_scheduler": ("Learning Rate Scheduling", "학습률 스케줄링", "chapter_optimization/lr-scheduler.html"),
    "subsec_calculus-grad": ("Gradients", "그레이디언트", "chapter_preliminaries/calculus.html#gradients"),
    "sec_linear_regression": ("Linear Regression", "선형 회귀",
                              "chapter_linear-regression/linear-regression.html"),
    "sec_linear_scratch": ("Linear Regression Implementation from Scratch", "선형 회귀를 처음부터 구현하기",
                           "chapter_linear-regression/linear-regression-scratch.html"),
    "sec_generalization_basics": ("Generalization", "일반화", "chapter_linear-regression/generalization.html"),
    "sec_weight_decay": ("Weight Decay", "가중치 감쇠", "chapter_linear-regression/weight-decay.html"),
    "subsec_activation-functions": ("Activation Functions", "활성화 함수",
                                    "chapter_multilayer-perceptrons/mlp.html#activation-functions"),
    "sec_numerical_stability": ("Numerical Stability and Initialization", "수치 안정성과 초기화",
                                "chapter_multilayer-perceptrons/numerical-stability-and-init.html"),
    "chap_cnn": ("Convolutional Neural Networks", "합성곱 신경망",
                 "chapter_convolutional-neural-networks/index.html"),
    "sec_lenet": ("Convolutional Neural Networks (LeNet)", "합성곱 신경망(LeNet)",
                  "chapter_convolutional-neural-networks/lenet.html"),
    "sec_batch_norm": ("Batch Normalization", "배치 정규화", "chapter_convolutional-modern/batch-norm.html"),
    "sec_rnn-scratch": ("Recurrent Neural Network Implementation from Scratch", "순환 신경망을 처음부터 구현하기",
                        "chapter_recurrent-neural-networks/rnn-scratch.html"),
}

#: The labels this table knows.
LABELS = tuple(_SECTIONS)


def d2l_section(label, lang="ko"):
    """``(title, url)`` of d2l's section ``label`` in ``lang`` (``"en"`` or ``"ko"``), or None."""
    found = _SECTIONS.get(label)
    if found is None:
        return None
    english, korean, page = found
    return (english if lang == "en" else korean), D2L + page
