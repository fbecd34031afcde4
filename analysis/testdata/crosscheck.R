# Independent computation of the analysis figures for the Go cross-check.
# Usage: Rscript crosscheck.R DIR  (reads DIR/*.csv, writes DIR/r_out.csv)
suppressPackageStartupMessages({ library(survey); library(psych) })
options(warn = -1, survey.lonely.psu = "fail")
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
items <- read.csv(file.path(dir, "items.csv"), stringsAsFactors = FALSE)
elements <- read.csv(file.path(dir, "elements.csv"), stringsAsFactors = FALSE)
strata <- read.csv(file.path(dir, "strata.csv"), stringsAsFactors = FALSE)
k <- as.integer(readLines(file.path(dir, "k.txt")))
out <- list()
emit <- function(...) out[[length(out) + 1]] <<- data.frame(..., stringsAsFactors = FALSE)

# score: item scores 0-100 after reversal, NA when missing
score <- function(d) {
  s <- list()
  for (i in seq_len(nrow(items))) {
    it <- items[i, ]
    v <- d[[it$code]]
    if (it$kind == "ordinal") x <- 100 * (v - 1) / (it$points - 1)
    else if (it$kind == "experience") x <- ifelse(v == 1, 0, 100)
    else next
    if (it$reverse) x <- 100 - x
    s[[it$code]] <- x
  }
  as.data.frame(s)
}

respondent <- function(d) {
  S <- score(d)
  E <- list()
  for (e in elements$code) {
    cols <- items$code[items$element == e & items$kind != "text"]
    m <- rep(NA_real_, nrow(d))
    for (t in c("internal", "external", "expert")) {
      rows <- d$type == t
      seen <- cols[items[match(cols, items$code), t]]
      if (length(seen) == 0) next
      v <- rowMeans(S[rows, seen, drop = FALSE], na.rm = TRUE)
      v[is.nan(v)] <- NA
      m[rows] <- v
    }
    E[[e]] <- m
  }
  E <- as.data.frame(E)
  w <- elements$weight
  comp <- apply(E, 1, function(r) { ok <- !is.na(r) & w > 0; if (!any(ok)) NA else sum(w[ok] * r[ok]) / sum(w[ok]) })
  list(S = S, E = E, comp = comp)
}

svyest <- function(x, N, stratum = NULL, pop = NULL) {
  ok <- !is.na(x)
  df <- data.frame(x = x[ok])
  n <- nrow(df)
  if (n < 2) return(NULL)
  if (!is.null(stratum)) df$s <- stratum[ok]
  if (N > 0 && n <= N) { df$N <- N; des <- svydesign(ids = ~1, fpc = ~N, data = df) }
  else des <- svydesign(ids = ~1, data = df)
  if (!is.null(stratum)) des <- postStratify(des, ~s, data.frame(s = pop$stratum, Freq = pop$count))
  m <- svymean(~x, des)
  ci <- confint(m, df = degf(des))
  c(n = n, mean = unname(coef(m)), se = unname(SE(m)), lo = max(0, ci[1]), hi = min(100, ci[2]))
}

period <- function(file, tag) {
  d <- read.csv(file.path(dir, file), stringsAsFactors = FALSE)
  d$stratum[is.na(d$stratum)] <- ""
  r <- respondent(d)
  for (t in c("internal", "external", "expert")) {
    for (u in c(unique(d$unit), "CITY")) {
      rows <- d$type == t & (u == "CITY" | d$unit == u)
      if (!any(rows)) next
      N <- if (u == "CITY") d$cityN[rows][1] else d$N[rows][1]
      x <- r$comp[rows]
      e <- svyest(x, N)
      if (!is.null(e)) emit(what = paste0(tag, "comp"), unit = u, type = t, key = "", n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = NA, df = NA)
      if (t == "internal") {
        # post-strata: the unit's strata, or unit × stratum cells for the city
        if (u == "CITY") {
          lab <- paste(d$unit[rows], d$stratum[rows])
          pop <- data.frame(stratum = paste(strata$unit, strata$stratum), count = strata$count)
          pop <- pop[pop$stratum %in% lab, ]
        } else {
          lab <- d$stratum[rows]
          pop <- strata[strata$unit == u, ]
        }
        e <- svyest(x, N, lab, pop)
        if (!is.null(e)) emit(what = paste0(tag, "pscomp"), unit = u, type = t, key = "", n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = NA, df = NA)
        for (el in elements$code) {
          xe <- r$E[[el]][rows]
          if (sum(!is.na(xe)) < 2) next
          e <- svyest(xe, N, lab, pop)
          emit(what = paste0(tag, "pselem"), unit = u, type = t, key = el, n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = NA, df = NA)
        }
      }
      for (el in elements$code) {
        x <- r$E[[el]][rows]
        if (all(is.na(x))) next
        e <- svyest(x, N)
        if (!is.null(e)) emit(what = paste0(tag, "elem"), unit = u, type = t, key = el, n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = NA, df = NA)
        cols <- items$code[items$element == el & items$kind != "text" & items[[t]]]
        if (length(cols) >= 2) {
          X <- r$S[rows, cols, drop = FALSE]
          X <- X[complete.cases(X), , drop = FALSE]
          if (nrow(X) >= k && all(apply(X, 2, sd) > 0)) {
            a <- suppressMessages(psych::alpha(X, warnings = FALSE, check.keys = FALSE))
            emit(what = paste0(tag, "alpha"), unit = u, type = t, key = el, n = nrow(X), mean = a$total$raw_alpha, se = NA, lo = NA, hi = NA, p = NA, df = NA)
            for (j in seq_along(cols)) {
              emit(what = paste0(tag, "rdrop"), unit = u, type = t, key = paste0(el, ":", cols[j]), n = nrow(X), mean = a$item.stats$r.drop[j], se = NA, lo = NA, hi = NA, p = NA, df = NA)
              if (length(cols) > 2) emit(what = paste0(tag, "adrop"), unit = u, type = t, key = paste0(el, ":", cols[j]), n = nrow(X), mean = a$alpha.drop$raw_alpha[j], se = NA, lo = NA, hi = NA, p = NA, df = NA)
            }
          }
        }
      }
      for (it in items$code[items$kind == "experience" & items[[t]]]) {
        v <- d[[it]][rows]
        v <- v[!is.na(v)]
        if (length(v) == 0) next
        pt <- prop.test(sum(v == 1), length(v), correct = FALSE)
        emit(what = paste0(tag, "prev"), unit = u, type = t, key = it, n = length(v), mean = sum(v == 1) / length(v), se = NA, lo = pt$conf.int[1], hi = pt$conf.int[2], p = NA, df = NA)
      }
    }
  }
  list(d = d, comp = r$comp)
}

p1 <- period("responses1.csv", "")
p2 <- period("responses2.csv", "p2")
for (t in c("internal", "external", "expert")) {
  for (u in unique(p1$d$unit)) {
    a <- p1$comp[p1$d$unit == u & p1$d$type == t]; a <- a[!is.na(a)]
    b <- p2$comp[p2$d$unit == u & p2$d$type == t]; b <- b[!is.na(b)]
    if (length(a) < 2 || length(b) < 2) next
    w <- t.test(b, a)
    emit(what = "welch", unit = u, type = t, key = "", n = NA, mean = unname(w$estimate[1] - w$estimate[2]), se = unname(w$stderr), lo = w$conf.int[1], hi = w$conf.int[2], p = w$p.value, df = unname(w$parameter))
  }
}
write.csv(do.call(rbind, out), file.path(dir, "r_out.csv"), row.names = FALSE)
