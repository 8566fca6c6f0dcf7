/* vsnprintf for the formats the framework uses: %d %i %u %x %X %o %p %s %c
 * %%, flags '-' '0' ' ' '+' '#', width and precision (also '*'), length
 * modifiers hh h l ll z t, and %pV (a struct va_format, as in Linux's
 * printk: a message formatted inside another). No floating point:
 * -mgeneral-regs-only.
 *
 * printf has no length limit: it formats into a buffer on the stack and
 * writes the buffer to the console each time it fills, holding the
 * console lock for the whole message so lines of different CPUs do not
 * mix. It uses no memory but the stack and works from the first C code
 * (console.h). */
#include "libc.h"
#include "console.h"

struct out {
	char *buf;
	size_t size, len;	/* len: characters produced so far */
	size_t start;		/* streaming: len at buf[0] */
	bool stream;		/* flush buf to the console when full */
};

static void put(struct out *o, char c)
{
	if (o->stream) {
		if (o->len - o->start == o->size) {
			console_write_locked(o->buf, o->size);
			o->start = o->len;
		}
		o->buf[o->len - o->start] = c;
	} else if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width, prec;
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int n = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : (size_t)-1);
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

static void put_num(struct out *o, u64 v, bool neg, unsigned base, bool upper,
		    const char *prefix, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int prec = sp->prec > n ? sp->prec : n;
	char sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
	int plen = (int)strlen(prefix) + (sign != 0);
	int total = prec + plen;
	bool zeros = sp->zero && !sp->left && sp->prec < 0;
	if (!sp->left && !zeros)
		pad(o, ' ', sp->width - total);
	if (sign)
		put(o, sign);
	while (*prefix)
		put(o, *prefix++);
	if (zeros)
		pad(o, '0', sp->width - total);
	pad(o, '0', prec - n);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - total);
}

static void format(struct out *o, const char *fmt, va_list ap);

static void put_vaf(struct out *o, const struct va_format *vaf)
{
	va_list ap;
	va_copy(ap, *vaf->va);
	format(o, vaf->fmt, ap);
	va_end(ap);
}

static void format(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(o, *fmt);
			continue;
		}
		struct spec sp = { .prec = -1 };
		for (;; fmt++) {
			char f = fmt[1];
			if (f == '-') sp.left = true;
			else if (f == '0') sp.zero = true;
			else if (f == '+') sp.plus = true;
			else if (f == ' ') sp.space = true;
			else if (f == '#') sp.alt = true;
			else break;
		}
		fmt++;
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				sp.width = sp.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
			}
		}
		int lng = 0;	/* 0 int, 1 long, 2 long long, -1 short, -2 char */
		for (;; fmt++) {
			if (*fmt == 'l') lng++;
			else if (*fmt == 'h') lng--;
			else if (*fmt == 'z' || *fmt == 't') lng = 1;
			else break;
		}
		u64 u;
		s64 s;
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng > 0 ? va_arg(ap, long) : va_arg(ap, int);
			if (lng == -1) s = (short)s;
			if (lng == -2) s = (signed char)s;
			put_num(o, s < 0 ? -(u64)s : (u64)s, s < 0, 10, false, "", &sp);
			break;
		case 'u': case 'x': case 'X': case 'o':
			u = lng > 0 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			if (lng == -1) u = (u16)u;
			if (lng == -2) u = (u8)u;
			{
				unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
				const char *pre = "";
				if (sp.alt && base == 16 && u)
					pre = *fmt == 'X' ? "0X" : "0x";
				if (sp.alt && base == 8)
					pre = "0";
				put_num(o, u, false, base, *fmt == 'X', pre, &sp);
			}
			break;
		case 'p':
			if (fmt[1] == 'V') {
				fmt++;
				put_vaf(o, va_arg(ap, const struct va_format *));
				break;
			}
			put_num(o, (u64)va_arg(ap, void *), false, 16, false, "0x", &sp);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			put_str(o, str ? str : "(null)", &sp);
			break;
		}
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };
			put_str(o, c, &sp);
			break;
		}
		case '%':
			put(o, '%');
			break;
		default:	/* unknown conversion: print it as is */
			put(o, '%');
			if (*fmt)
				put(o, *fmt);
			else
				fmt--;
		}
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	format(&o, fmt, ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	char buf[128];
	struct out o = { .buf = buf, .size = sizeof(buf), .stream = true };
	console_lock();
	format(&o, fmt, ap);
	console_write_locked(buf, o.len - o.start);
	console_unlock();
	return (int)o.len;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	console_write(s);
	return 0;
}
