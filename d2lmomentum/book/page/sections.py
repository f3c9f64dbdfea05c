"""d2l's other sections that a chapter of its optimization part may ``:numref:``.

Each label maps to a readable Korean title and the section's page on d2l.ai. A label the
chapter defines itself wins over this table.
"""

D2L = "https://d2l.ai/chapter_optimization/"

D2L_SECTIONS = {
    "chap_optimization": ("최적화 알고리즘", D2L + "index.html"),
    "sec_optimization-intro": ("최적화와 딥러닝", D2L + "optimization-intro.html"),
    "sec_convexity": ("볼록성", D2L + "convexity.html"),
    "sec_gd": ("경사 하강법", D2L + "gd.html"),
    "sec_sgd": ("확률적 경사 하강법", D2L + "sgd.html"),
    "sec_minibatch_sgd": ("미니배치 확률적 경사 하강법", D2L + "minibatch-sgd.html"),
    "sec_momentum": ("모멘텀", D2L + "momentum.html"),
    "sec_adagrad": ("Adagrad", D2L + "adagrad.html"),
    "sec_rmsprop": ("RMSProp", D2L + "rmsprop.html"),
    "sec_adadelta": ("Adadelta", D2L + "adadelta.html"),
    "sec_adam": ("Adam", D2L + "adam.html"),
    "sec_scheduler": ("학습률 스케줄링", D2L + "lr-scheduler.html"),
}
